// Includes an exported amplify-rs backend in a CDK app, as seed 000 describes, and
// touches the construct's accessors so a missing logical id fails the synth.
// EXPORT_PATH: the amplify-export-<project> folder; AMPLIFY_ENV: the environment name;
// FUNCTIONS, REST_APIS: resource names to look up; GRAPHQL=0 for a backend without one.
const cdk = require('aws-cdk-lib');
const { AmplifyExportedBackend } = require('@aws-amplify/cdk-exported-backend');

const app = new cdk.App();
const backend = new AmplifyExportedBackend(app, 'amplifyExportedBackend', {
  amplifyEnvironment: process.env.AMPLIFY_ENV || 'dev',
  path: process.env.EXPORT_PATH,
});

const auth = backend.authNestedStack();
auth.userPool();
if (process.env.GRAPHQL !== '0') {
  const api = backend.graphqlNestedStacks();
  api.graphQLAPI();
  api.graphQLSchema();
}
for (const name of (process.env.REST_APIS || '').split(',').filter(Boolean)) {
  backend.apiRestNestedStack(name).restAPI();
}
for (const name of (process.env.FUNCTIONS || '').split(',').filter(Boolean)) {
  backend.lambdaFunctionNestedStackByName(name).lambdaFunction();
}
