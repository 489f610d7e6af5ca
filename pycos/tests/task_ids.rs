//! Task and channel ids (never reused, ordered within a node, printed as
//! pycos prints them) and names made at run time.

use std::collections::HashSet;

use pycos::prelude::*;
use pycos::{ChannelId, TaskId};

#[task]
fn idle() {}

#[task]
fn own_name(task: TaskCtx) -> String {
    task.name().to_owned()
}

#[task]
fn swappable(task: TaskCtx) -> String {
    task.hot_swappable(true);
    task.suspend().await;
    "not swapped".to_owned()
}

#[test]
fn task_ids_are_unique_and_ordered_across_schedulers() {
    let (one, two) = (Pycos::new(), Pycos::new());
    let mut ids: Vec<TaskId> = Vec::new();
    for _ in 0..50 {
        ids.push(one.spawn(idle()).id());
        ids.push(two.spawn(idle()).id());
    }
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "ordered by creation");
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), ids.len());
    let incarnation = ids[0].incarnation();
    assert!(
        ids.iter().all(|id| id.incarnation() == incarnation),
        "one node"
    );
    one.finish().unwrap();
    two.finish().unwrap();
}

#[test]
fn ids_are_sixteen_bytes() {
    assert_eq!(size_of::<TaskId>(), 16);
    assert_eq!(size_of::<ChannelId>(), 16);
}

#[test]
fn tasks_print_name_slash_serial_and_debug_shows_both_parts() {
    let sched = Pycos::new();
    let t = sched.spawn(idle());
    let id = t.id();
    assert_eq!(id.to_string(), id.serial().to_string());
    assert_eq!(t.to_string(), format!("idle/{}", id.serial()));
    assert_eq!(
        format!("{id:?}"),
        format!("TaskId({:016x}:{})", id.incarnation(), id.serial())
    );
    assert_eq!(TaskId::from_parts(id.incarnation(), id.serial()), id);
    sched.finish().unwrap();
}

#[test]
fn handles_of_one_task_are_equal_and_hash_alike() {
    let sched = Pycos::new();
    let typed = sched.spawn(idle());
    let (a, b) = (typed.untyped(), typed.untyped());
    let other = sched.spawn(idle()).untyped();
    assert_eq!(a, b);
    assert_ne!(a, other);
    let set: HashSet<Task> = [a, b, other].into_iter().collect();
    assert_eq!(set.len(), 2);
    assert_eq!(typed.scheduler(), Some(sched.clone()));
    sched.finish().unwrap();
}

#[test]
fn a_name_made_at_run_time_is_the_tasks_name() {
    let sched = Pycos::new();
    let name = format!("worker-{}", 3);
    let spec = own_name().named(&name);
    assert_eq!(spec.name(), "worker-3");
    let t = sched.spawn(spec);
    drop(name);
    assert_eq!(t.name(), "worker-3");
    assert_eq!(t.value().unwrap(), "worker-3", "seen from inside too");
    assert!(t.to_string().starts_with("worker-3/"));
    sched.finish().unwrap();
}

#[pycos::test(virtual_clock)]
async fn a_hot_swap_to_a_named_spec_renames_the_task(task: TaskCtx) {
    let t = Task::new(swappable());
    task.sleep(0.0).await;
    let label = String::from("renamed-by-swap");
    t.hot_swap(own_name().named(&label)).unwrap();
    assert_eq!(t.finish().await.unwrap(), "renamed-by-swap");
    assert_eq!(t.name(), "renamed-by-swap");
}

#[pycos::test(virtual_clock)]
async fn a_caught_swap_tells_the_runtime_name(task: TaskCtx) {
    #[task]
    fn catcher(task: TaskCtx) -> String {
        task.hot_swappable(true);
        match task.suspend().catch().await {
            Err(Interrupt::HotSwap(swap)) => swap.name().to_owned(),
            _ => String::new(),
        }
    }
    let t = Task::new(catcher());
    task.sleep(0.0).await;
    t.hot_swap(idle().named(&format!("role-{}", 1))).unwrap();
    assert_eq!(t.finish().await.unwrap(), "role-1");
}

#[pycos::test]
async fn channel_handles_are_equal_by_id() -> Result<(), Box<dyn std::error::Error>> {
    let first = Channel::new("ids-first")?;
    let found = Channel::locate("ids-first").await.expect("open");
    assert_eq!(found.id(), first.id());
    assert_eq!(found, first);
    let second = Channel::new("ids-second")?;
    assert_ne!(second.id(), first.id());
    assert_ne!(second, first);
    assert!(first.id() < second.id());
    let set: HashSet<Channel> = [first.clone(), found, second.clone()].into_iter().collect();
    assert_eq!(set.len(), 2);
    // A new channel under a closed one's name is another channel.
    first.close();
    let again = Channel::new("ids-first")?;
    assert_ne!(again, first);
    assert_eq!(again.id().incarnation(), first.id().incarnation());
    assert_eq!(format!("{:?}", again.id()).split(':').count(), 2);
    again.close();
    second.close();
    Ok(())
}
