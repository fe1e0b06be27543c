// Receives batches of jobs from the queue through the event source mapping that
// `#[queue(consumer = Worker)]` declares; each record is one job.
exports.handler = async (event) => {
  const jobs = (event.Records || []).map((record) => JSON.parse(record.body));
  console.log(`working ${jobs.length} job(s)`);
  return { processed: jobs.length };
};
