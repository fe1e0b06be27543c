//! The backend: `#[queue]` comes from `amplify-category-queue` and `#[seeded_table]` from
//! `amplify-category-seed`, both registered in build.rs.

#[amplify::backend]
pub mod backend {
    /// Work items; a message that fails five times moves to a dead-letter queue.
    /// `Worker` receives its messages (the mapping lives in a link stack).
    #[queue(
        visibility_timeout = 60,
        retention_days = 7,
        dead_letter(max_receives = 5),
        consumer = Worker
    )]
    pub struct Jobs;

    /// Works the jobs off the queue.
    #[function(runtime = node(code = "functions/worker"))]
    pub struct Worker;

    /// Job priorities: reference data loaded from `seed/priorities.json` after each
    /// deploy that changed it (the category's post-deploy action); `Audit` receives
    /// every change (the stream mapping lives in a link stack).
    #[seeded_table(partition_key = "code", seed = "seed/priorities.json", on_change = Audit)]
    pub struct Priorities;

    /// Logs changes to the priorities.
    #[function(runtime = node(code = "functions/audit"))]
    pub struct Audit;

    /// Puts a job on the queue; receives `QUEUE_JOBS_QUEUEURL` from its grant, and
    /// `STORAGE_PRIORITIES_NAME` to look priorities up.
    #[function(
        runtime = node(code = "functions/enqueue"),
        grant(Jobs = [send], Priorities = [read])
    )]
    pub struct Enqueue;
}
