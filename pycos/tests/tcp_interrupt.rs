//! A task blocked on a socket can be terminated or thrown into; the socket
//! is released (deregistered, closed) and other tasks keep using theirs.

#[path = "support/net.rs"]
mod net;

use std::sync::Arc;

use pycos::io::AsyncSocket;
use pycos::prelude::*;

#[task]
fn blocked_reader(sock: Arc<AsyncSocket>) -> usize {
    sock.recv(10).await.unwrap().len()
}

#[task]
fn catching_reader(sock: Arc<AsyncSocket>) -> String {
    match sock.recv(10).catch().await {
        Err(Interrupt::Thrown(err)) => format!("caught: {err}"),
        Err(other) => format!("other: {other}"),
        Ok(data) => format!("data: {data:?}"),
    }
}

#[pycos::test]
async fn terminate_a_task_blocked_in_recv(task: TaskCtx) {
    let (client, server) = net::pair().await;
    let server = Arc::new(server);
    let reader = Task::new(blocked_reader(server.clone()));
    task.sleep(0.05).await;
    assert!(reader.is_alive());
    reader.terminate().unwrap();
    assert!(matches!(reader.finish().await, Err(TaskError::Terminated)));
    // The socket is usable again: its read turn and registration were released.
    client.sendall(b"after").await.unwrap();
    assert_eq!(server.recv(10).await.unwrap(), b"after");
}

#[pycos::test]
async fn throw_into_a_task_blocked_in_recv(task: TaskCtx) {
    let (client, server) = net::pair().await;
    let server = Arc::new(server);
    let reader = Task::new(blocked_reader(server.clone()));
    task.sleep(0.05).await;
    reader.throw("stop reading").unwrap();
    match reader.finish().await {
        Err(TaskError::Thrown(err)) => assert_eq!(err.to_string(), "stop reading"),
        other => panic!("{other:?}"),
    }
    let catcher = Task::new(catching_reader(server.clone()));
    task.sleep(0.05).await;
    catcher.throw("handled").unwrap();
    assert_eq!(catcher.finish().await.unwrap(), "caught: handled");
    client.sendall(b"still fine").await.unwrap();
    assert_eq!(server.recv(20).await.unwrap(), b"still fine");
}

#[pycos::test]
async fn terminate_an_accepting_task_and_drop_its_listener(task: TaskCtx) {
    let listener = net::listener(net::V4, 8);
    let addr = listener.local_addr().unwrap();
    let acceptor = Task::new(TaskSpec::new(
        "acceptor",
        listener,
        |listener, _task| async move {
            let _ = listener.accept().await;
        },
    ));
    task.sleep(0.05).await;
    acceptor.terminate().unwrap();
    assert!(acceptor.finish().await.is_err());
    // The listener was dropped with the task: connecting is refused now.
    let err = AsyncSocket::create_connection(addr, 5.0, None)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::ConnectionRefused);
}

#[pycos::test]
async fn terminating_one_reader_leaves_others_alone(task: TaskCtx) {
    let (c1, s1) = net::pair().await;
    let (c2, s2) = net::pair().await;
    let r1 = Task::new(blocked_reader(Arc::new(s1)));
    let r2 = Task::new(blocked_reader(Arc::new(s2)));
    task.sleep(0.05).await;
    r1.terminate().unwrap();
    c2.sendall(b"four").await.unwrap();
    assert_eq!(r2.finish().await.unwrap(), 4);
    drop(c1);
}
