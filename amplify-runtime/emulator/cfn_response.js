// `cfn-response`, as Lambda's Node.js runtimes give it to code written inline in a template
// (`Code.ZipFile`): `send` answers a custom resource's request by a PUT of the result to its
// pre-signed `ResponseURL`, then ends the invocation (`context.done`).
"use strict";
const http = require("http");
const https = require("https");

exports.SUCCESS = "SUCCESS";
exports.FAILED = "FAILED";

exports.send = function send(event, context, status, data, physicalResourceId, noEcho) {
  return new Promise((resolve) => {
    const body = JSON.stringify({
      Status: status,
      Reason: `See the details in CloudWatch Log Stream: ${context.logStreamName}`,
      PhysicalResourceId: physicalResourceId || context.logStreamName,
      StackId: event.StackId,
      RequestId: event.RequestId,
      LogicalResourceId: event.LogicalResourceId,
      NoEcho: noEcho || false,
      Data: data,
    });
    const url = new URL(event.ResponseURL);
    const transport = url.protocol === "https:" ? https : http;
    const finish = () => {
      if (typeof context.done === "function") context.done();
      resolve();
    };
    const request = transport.request(
      url,
      { method: "PUT", headers: { "content-type": "", "content-length": Buffer.byteLength(body) } },
      (response) => {
        response.resume();
        response.on("end", finish);
      },
    );
    request.on("error", (error) => {
      console.log(`cfn-response: sending the result failed: ${error}`);
      finish();
    });
    request.end(body);
  });
};
