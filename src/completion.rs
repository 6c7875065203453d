//! Settles every call's promise, and delivers every log event, through one
//! threadsafe function per JS thread.
//!
//! napi-rs's `spawn_future` creates a threadsafe function per call: a libuv async
//! handle opened, woken once and closed, and an async resource, for every promise.
//! Here each JS thread (the main one, or a worker's) has one, created on first use
//! and unreferenced while no call is in flight (so the process can still exit).
//! A finished call queues its result on it, in a batch: a runtime worker holds small
//! items until it runs out of work (`flush_held`, from the runtime's park hook), so the
//! answers that arrived together cost the JS thread one wake-up, as undici gets from
//! one epoll wake, instead of one each. A big result ends its batch. Node hands the
//! batches to the JS thread one at a time, in order, with the microtasks of the promises
//! a batch settled run before the next, so a burst of big pages is consumed page by page
//! rather than all held at once. Log events share the queue, so a call's events reach
//! the logger before its promise settles.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::ffi::c_void;
use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::ptr;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use napi::bindgen_prelude::{PromiseRaw, ToNapiValue};
use napi::{check_status, sys, JsError};

use crate::call::CallFuture;
use crate::json::Json;

/// A JS thread's threadsafe function. Null once Node finalized it (its environment is
/// gone): nothing may call it then, and the mutex orders every call against the finalizer.
struct Queue {
    wake: Mutex<Wake>,
    /// Small items a runtime worker holds until it parks (or holds too many).
    held: Mutex<Vec<Item>>,
}

struct Wake(sys::napi_threadsafe_function);

// SAFETY: a threadsafe function may be called from any thread; it is only reached through the mutex.
unsafe impl Send for Wake {}

/// What reaches the JS thread.
enum Item {
    /// A finished call.
    Done(u32, napi::Result<Json>),
    /// A log event (JSON) for an observer's JS sink.
    Event(u32, String),
    /// An observer was dropped: release its sink.
    Forget(u32),
}

/// Items held past this count go at once: a worker that never parks still delivers.
const MAX_HELD: usize = 32;
/// A result this big goes at once (after what was held before it): its parse dwarfs a
/// wake-up, and big pages are consumed one per delivery.
const MAX_HELD_BYTES: usize = 16 * 1024;

thread_local! {
    /// Set on a runtime worker once it has parked: such a thread always parks again when
    /// out of work, unlike a blocking-pool thread, which never calls the hook.
    static HOLDS: Cell<bool> = const { Cell::new(false) };
    /// The queues this worker holds items for.
    static HELD_FOR: RefCell<Vec<Arc<Queue>>> = const { RefCell::new(Vec::new()) };
}

/// The runtime's park hook: hands over everything this worker held, a batch per JS thread.
pub fn flush_held() {
    HOLDS.with(|holds| holds.set(true));
    let queues = HELD_FOR.with(|held_for| std::mem::take(&mut *held_for.borrow_mut()));
    for queue in queues {
        queue.hand_over(&mut queue.held.lock().unwrap());
    }
}

impl Item {
    fn is_small(&self) -> bool {
        match self {
            Item::Done(_, Ok(json)) => json.len() < MAX_HELD_BYTES,
            Item::Done(_, Err(_)) | Item::Forget(_) => true,
            Item::Event(_, json) => json.len() < MAX_HELD_BYTES,
        }
    }
}

impl Queue {
    /// Hands `item` to the JS thread, after the items held before it; dropped when its
    /// environment is gone.
    fn send(self: &Arc<Self>, item: Item) {
        let mut held = self.held.lock().unwrap();
        let hold = HOLDS.with(Cell::get) && item.is_small();
        held.push(item);
        if !hold || held.len() >= MAX_HELD {
            return self.hand_over(&mut held);
        }
        // Whichever worker parks first delivers what any of them held.
        HELD_FOR.with(|held_for| {
            let mut held_for = held_for.borrow_mut();
            if !held_for.iter().any(|queue| Arc::ptr_eq(queue, self)) {
                held_for.push(self.clone());
            }
        });
    }

    /// Hands over the held items as one batch. The caller keeps the lock, so no item can overtake them.
    fn hand_over(&self, held: &mut Vec<Item>) {
        if held.is_empty() {
            return;
        }
        let batch = Box::into_raw(Box::new(std::mem::take(held)));
        let wake = self.wake.lock().unwrap();
        let queued = !wake.0.is_null() && unsafe { sys::napi_call_threadsafe_function(wake.0, batch.cast(), sys::ThreadsafeFunctionCallMode::nonblocking) } == sys::Status::napi_ok;
        if !queued {
            drop(unsafe { Box::from_raw(batch) });
        }
    }
}

/// What only the JS thread touches: the promises of the calls in flight, and the log sinks.
struct Local {
    queue: Arc<Queue>,
    pending: HashMap<u32, sys::napi_deferred>,
    sinks: HashMap<u32, sys::napi_ref>,
    next_id: u32,
    referenced: bool,
}

thread_local! {
    static LOCAL: RefCell<Option<Local>> = const { RefCell::new(None) };
}

/// Runs `f` on this JS thread's state, creating it on first use.
fn with_local<R>(env: sys::napi_env, f: impl FnOnce(&mut Local) -> R) -> napi::Result<R> {
    LOCAL.with(|local| {
        let mut local = local.borrow_mut();
        if local.is_none() {
            *local = Some(Local { queue: create_queue(env)?, pending: HashMap::new(), sinks: HashMap::new(), next_id: 0, referenced: false });
        }
        Ok(f(local.as_mut().expect("set above")))
    })
}

impl Local {
    fn next_id(&mut self) -> u32 {
        let id = self.next_id;
        self.next_id = self.next_id.wrapping_add(1);
        id
    }
}

/// Runs `future` on the runtime; the promise it returns settles with its result.
pub fn spawn(env: &napi::Env, future: CallFuture) -> napi::Result<PromiseRaw<'_, Json>> {
    let raw_env = env.raw();
    let mut deferred = ptr::null_mut();
    let mut promise = ptr::null_mut();
    check_status!(unsafe { sys::napi_create_promise(raw_env, &mut deferred, &mut promise) }, "cannot create a promise")?;
    let (queue, id) = with_local(raw_env, |local| {
        let id = local.next_id();
        local.pending.insert(id, deferred);
        if !local.referenced {
            // Keeps the event loop alive while calls are in flight, as a pending threadsafe function would.
            let wake = local.queue.wake.lock().unwrap();
            if !wake.0.is_null() {
                unsafe { sys::napi_ref_threadsafe_function(raw_env, wake.0) };
            }
            drop(wake);
            local.referenced = true;
        }
        (local.queue.clone(), id)
    })?;
    napi::bindgen_prelude::spawn(async move {
        // A panic in a call settles its promise as a rejection instead of leaving it pending.
        let result = CatchUnwind(future).await.unwrap_or_else(|_| Err(napi::Error::from_reason("scalekit-native: internal error (a panic) in the call")));
        queue.send(Item::Done(id, result));
    });
    Ok(PromiseRaw::new(raw_env, promise))
}

/// A promise settled at once, on the JS thread: for work that needs no I/O (a token checked
/// against cached keys), which a round trip through the runtime would only slow down.
pub fn settled<T: ToNapiValue>(env: &napi::Env, result: napi::Result<T>) -> napi::Result<PromiseRaw<'_, Json>> {
    let raw_env = env.raw();
    let mut deferred = ptr::null_mut();
    let mut promise = ptr::null_mut();
    check_status!(unsafe { sys::napi_create_promise(raw_env, &mut deferred, &mut promise) }, "cannot create a promise")?;
    match result.and_then(|value| unsafe { T::to_napi_value(raw_env, value) }) {
        Ok(value) => unsafe { sys::napi_resolve_deferred(raw_env, deferred, value) },
        Err(error) => unsafe { sys::napi_reject_deferred(raw_env, deferred, rejection(raw_env, error)) },
    };
    Ok(PromiseRaw::new(raw_env, promise))
}

/// The core's observer for a JS event sink `(json: string) => void` (index.js's, which catches what a
/// logger throws). It never keeps the process alive by itself.
pub struct JsObserver {
    id: u32,
    queue: Arc<Queue>,
}

impl JsObserver {
    pub fn new(env: &napi::Env, sink: sys::napi_value) -> napi::Result<JsObserver> {
        let raw_env = env.raw();
        let mut reference = ptr::null_mut();
        check_status!(unsafe { sys::napi_create_reference(raw_env, sink, 1, &mut reference) })?;
        with_local(raw_env, |local| {
            let id = local.next_id();
            local.sinks.insert(id, reference);
            JsObserver { id, queue: local.queue.clone() }
        })
    }
}

impl scalekit_core::observe::Observer for JsObserver {
    fn event(&self, event: scalekit_core::observe::Event) {
        if let Ok(json) = serde_json::to_string(&event) {
            self.queue.send(Item::Event(self.id, json));
        }
    }
}

impl Drop for JsObserver {
    fn drop(&mut self) {
        self.queue.send(Item::Forget(self.id));
    }
}

fn create_queue(env: sys::napi_env) -> napi::Result<Arc<Queue>> {
    let queue = Arc::new(Queue { wake: Mutex::new(Wake(ptr::null_mut())), held: Mutex::new(Vec::new()) });
    let mut name = ptr::null_mut();
    check_status!(unsafe { sys::napi_create_string_utf8(env, c"scalekit-native".as_ptr(), 15, &mut name) })?;
    let context = Arc::into_raw(queue.clone()) as *mut c_void;
    let mut wake = ptr::null_mut();
    check_status!(
        unsafe { sys::napi_create_threadsafe_function(env, ptr::null_mut(), ptr::null_mut(), name, 0, 1, ptr::null_mut(), Some(finalize), context, Some(deliver), &mut wake) },
        "cannot create the completion queue"
    )
    .inspect_err(|_| drop(unsafe { Arc::from_raw(context as *const Queue) }))?;
    unsafe { sys::napi_unref_threadsafe_function(env, wake) };
    queue.wake.lock().unwrap().0 = wake;
    Ok(queue)
}

/// On the JS thread: one batch of items, in order.
unsafe extern "C" fn deliver(env: sys::napi_env, _callback: sys::napi_value, context: *mut c_void, data: *mut c_void) {
    let batch = *unsafe { Box::from_raw(data.cast::<Vec<Item>>()) };
    if env.is_null() {
        return; // the environment is being torn down
    }
    let queue = unsafe { &*(context as *const Queue) };
    for item in batch {
        deliver_one(env, queue, item);
    }
}

fn deliver_one(env: sys::napi_env, queue: &Queue, item: Item) {
    match item {
        Item::Done(id, result) => settle(env, queue, id, result),
        Item::Event(id, json) => {
            let Some(sink) = LOCAL.with(|local| local.borrow().as_ref().and_then(|l| l.sinks.get(&id).copied())) else { return };
            unsafe { call_sink(env, sink, &json) };
        }
        Item::Forget(id) => {
            if let Some(sink) = LOCAL.with(|local| local.borrow_mut().as_mut().and_then(|l| l.sinks.remove(&id))) {
                unsafe { sys::napi_delete_reference(env, sink) };
            }
        }
    }
}

fn settle(env: sys::napi_env, queue: &Queue, id: u32, result: napi::Result<Json>) {
    let Some((deferred, in_flight)) = LOCAL.with(|local| local.borrow_mut().as_mut().and_then(|l| Some((l.pending.remove(&id)?, l.pending.len())))) else { return };
    crate::json::set_calls_in_flight(in_flight);
    match result.and_then(|json| unsafe { Json::to_napi_value(env, json) }) {
        Ok(value) => unsafe { sys::napi_resolve_deferred(env, deferred, value) },
        Err(error) => unsafe { sys::napi_reject_deferred(env, deferred, rejection(env, error)) },
    };
    LOCAL.with(|local| {
        if let Some(local) = local.borrow_mut().as_mut().filter(|l| l.pending.is_empty() && l.referenced) {
            let wake = queue.wake.lock().unwrap();
            if !wake.0.is_null() {
                unsafe { sys::napi_unref_threadsafe_function(env, wake.0) };
            }
            local.referenced = false;
        }
    });
}

/// Calls a log sink with one event. The sink catches what a logger throws; anything else is dropped
/// rather than left pending.
unsafe fn call_sink(env: sys::napi_env, sink: sys::napi_ref, json: &str) {
    let mut function = ptr::null_mut();
    let mut undefined = ptr::null_mut();
    let mut text = ptr::null_mut();
    let mut ignored = ptr::null_mut();
    unsafe {
        sys::napi_get_reference_value(env, sink, &mut function);
        sys::napi_get_undefined(env, &mut undefined);
        sys::napi_create_string_utf8(env, json.as_ptr().cast(), json.len() as isize, &mut text);
        if sys::napi_call_function(env, undefined, function, 1, &text, &mut ignored) != sys::Status::napi_ok {
            let mut exception = ptr::null_mut();
            sys::napi_get_and_clear_last_exception(env, &mut exception);
        }
    }
}

/// The JS error a failed call rejects with: a pending exception (from `JSON.parse`) as it is, else the error's own.
unsafe fn rejection(env: sys::napi_env, error: napi::Error) -> sys::napi_value {
    let mut pending = false;
    unsafe { sys::napi_is_exception_pending(env, &mut pending) };
    let mut value = ptr::null_mut();
    if pending {
        unsafe { sys::napi_get_and_clear_last_exception(env, &mut value) };
        return value;
    }
    unsafe { JsError::from(error).into_value(env) }
}

/// When the environment goes away: no call may reach the threadsafe function after this.
unsafe extern "C" fn finalize(_env: sys::napi_env, _data: *mut c_void, context: *mut c_void) {
    let queue = unsafe { Arc::from_raw(context as *const Queue) };
    queue.wake.lock().unwrap().0 = ptr::null_mut();
    let _ = LOCAL.try_with(|local| local.borrow_mut().take());
}

/// A call's future whose panic becomes an `Err`, as napi-rs's own spawning does.
struct CatchUnwind(CallFuture);

impl Future for CatchUnwind {
    type Output = std::thread::Result<napi::Result<Json>>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match catch_unwind(AssertUnwindSafe(|| self.0.as_mut().poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(output)) => Poll::Ready(Ok(output)),
            Err(panic) => Poll::Ready(Err(panic)),
        }
    }
}
