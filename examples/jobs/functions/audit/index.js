// Receives the priorities table's changes through the event source mapping that
// `#[seeded_table(on_change = Audit)]` contributes to a link stack.
exports.handler = async (event) => {
  const changes = (event.Records || []).map((record) => ({
    event: record.eventName,
    keys: record.dynamodb && record.dynamodb.Keys,
  }));
  console.log(`audited ${changes.length} priority change(s)`);
  return { audited: changes.length };
};
