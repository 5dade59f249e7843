//! Keeps the search index up with the store. The server holds the index's
//! write lock for its lifetime; a background thread commits shortly after
//! reviews are saved (several at once), and searches commit first whatever
//! is still pending, so a decision shows in the very next search.

use std::path::Path;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use super::WebError;
use crate::index::{SearchIndex, Updater};
use crate::store::Store;

/// Time given to further saves to join one commit.
const GATHER: Duration = Duration::from_millis(150);

/// The writer with its own store connection (reads never wait on saves).
struct Writer {
    updater: Updater,
    store: Store,
}

pub struct Indexer {
    writer: Arc<Mutex<Option<Writer>>>,
    /// Dropping the sender ends the thread.
    wake: Mutex<Option<Sender<()>>>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl Indexer {
    /// Takes the index's write lock and starts the committing thread. When
    /// another process holds the lock, searches still work on what it commits.
    pub fn start(index: &SearchIndex, data: &Path) -> Result<Indexer, WebError> {
        let store = Store::open(data).map_err(WebError::internal)?;
        let writer = match index.updater(&store, 1).map_err(WebError::internal)? {
            Some(mut updater) => {
                updater.commit(&store).map_err(WebError::internal)?;
                Some(Writer { updater, store })
            }
            None => {
                eprintln!(
                    "fairscan serve: 注意：搜索索引正由其他进程更新，新的审查结果要等该进程结束后才能检索"
                );
                None
            }
        };
        let writer = Arc::new(Mutex::new(writer));
        let (wake, rx) = channel();
        let shared = Arc::clone(&writer);
        let thread = std::thread::Builder::new()
            .name("fairscan-indexer".into())
            .spawn(move || run(&shared, &rx))
            .map_err(WebError::internal)?;
        Ok(Indexer {
            writer,
            wake: Mutex::new(Some(wake)),
            thread: Mutex::new(Some(thread)),
        })
    }

    /// Asks for a commit soon (after a review was saved).
    pub fn changed(&self) {
        let wake = self.wake.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(wake) = wake.as_ref() {
            let _ = wake.send(());
        }
    }

    /// Commits whatever the store has that the index lacks; the index reader
    /// sees it on return.
    pub fn flush(&self, index: &SearchIndex) -> Result<(), WebError> {
        commit(&self.writer)?;
        index.reload().map_err(WebError::internal)
    }
}

impl Drop for Indexer {
    /// Lets a commit in progress finish before the index goes away.
    fn drop(&mut self) {
        self.wake.lock().unwrap_or_else(|e| e.into_inner()).take();
        let thread = self.thread.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(thread) = thread {
            let _ = thread.join();
        }
    }
}

fn commit(writer: &Mutex<Option<Writer>>) -> Result<(), WebError> {
    let mut guard = writer.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(w) = guard.as_mut() {
        w.updater.commit(&w.store).map_err(WebError::internal)?;
    }
    Ok(())
}

/// Ends when the server state is dropped (the last sender goes away).
fn run(writer: &Mutex<Option<Writer>>, rx: &Receiver<()>) {
    while rx.recv().is_ok() {
        std::thread::sleep(GATHER);
        while rx.try_recv().is_ok() {}
        let _ = commit(writer);
    }
}
