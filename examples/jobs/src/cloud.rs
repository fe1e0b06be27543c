//! The backend: `#[queue]` comes from `amplify-category-queue`, registered in build.rs.

#[amplify::backend]
pub mod backend {
    /// Work items; a message that fails five times moves to a dead-letter queue.
    #[queue(
        visibility_timeout = 60,
        retention_days = 7,
        dead_letter(max_receives = 5)
    )]
    pub struct Jobs;

    /// Puts a job on the queue; receives `QUEUE_JOBS_QUEUEURL` from its grant.
    #[function(runtime = node(code = "functions/enqueue"), grant(Jobs = [send]))]
    pub struct Enqueue;
}
