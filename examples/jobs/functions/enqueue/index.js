// Puts the invocation's event on the jobs queue. The queue's URL arrives in the
// environment variable the `grant(Jobs = [send])` declares.
const { SQSClient, SendMessageCommand } = require("@aws-sdk/client-sqs");

const sqs = new SQSClient({});

exports.handler = async (event) => {
  const out = await sqs.send(
    new SendMessageCommand({
      QueueUrl: process.env.QUEUE_JOBS_QUEUEURL,
      MessageBody: JSON.stringify(event),
    }),
  );
  return { messageId: out.MessageId };
};
