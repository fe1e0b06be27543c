// Includes an exported amplify-rs backend in a CDK app, as seed 000 describes, and
// touches the construct's accessors so a missing logical id fails the synth.
// EXPORT_PATH: the amplify-export-<project> folder; AMPLIFY_ENV: the environment name.
const cdk = require('aws-cdk-lib');
const { AmplifyExportedBackend } = require('@aws-amplify/cdk-exported-backend');

const app = new cdk.App();
const backend = new AmplifyExportedBackend(app, 'amplifyExportedBackend', {
  amplifyEnvironment: process.env.AMPLIFY_ENV || 'dev',
  path: process.env.EXPORT_PATH,
});

const auth = backend.authNestedStack();
auth.userPool();
const api = backend.graphqlNestedStacks();
api.graphQLAPI();
api.graphQLSchema();
for (const name of (process.env.FUNCTIONS || '').split(',').filter(Boolean)) {
  backend.lambdaFunctionNestedStackByName(name).lambdaFunction();
}
