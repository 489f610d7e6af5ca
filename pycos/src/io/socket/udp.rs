//! Datagram operations: recvfrom and sendto. (`recv`/`send` work on a
//! connected UDP socket too: one datagram each.)

use std::io;
use std::net::SocketAddr;

use rustix::io::Errno;
use rustix::net::{RecvFlags, SendFlags};

use super::AsyncSocket;
use crate::io::turn::enter;
use crate::io::wait::{Mode, Stall, Step, drive};
use crate::runtime::reactor::Direction;

impl AsyncSocket {
    /// Receives one datagram of at most `bufsize` bytes (the rest of a
    /// longer one is discarded, as by `recvfrom(2)`) and its sender.
    ///
    /// # Errors
    ///
    /// Socket failures, `TimedOut`.
    ///
    /// # Examples
    ///
    /// A UDP echo between two sockets of one program (pycos' `udp.py`):
    ///
    /// ```
    /// use std::io;
    /// use std::net::SocketAddr;
    ///
    /// use pycos::prelude::*;
    ///
    /// #[task]
    /// fn echo_once(sock: AsyncSocket) -> io::Result<()> {
    ///     let (data, from) = sock.recvfrom(1024).await?;
    ///     sock.sendto(&data, from).await?;
    ///     Ok(())
    /// }
    ///
    /// #[task]
    /// fn ask(server: SocketAddr) -> io::Result<Vec<u8>> {
    ///     let sock = AsyncSocket::udp_bind("127.0.0.1:0".parse().unwrap())?;
    ///     sock.sendto(b"ping", server).await?;
    ///     let (reply, _) = sock.recvfrom(1024).timeout(5.0).await.ok_or(io::ErrorKind::TimedOut)??;
    ///     Ok(reply)
    /// }
    ///
    /// let server = AsyncSocket::udp_bind("127.0.0.1:0".parse()?)?;
    /// let addr = server.local_addr()?;
    /// let sched = Pycos::new();
    /// let echo = sched.spawn(echo_once(server));
    /// assert_eq!(sched.spawn(ask(addr)).value()?, b"ping");
    /// echo.value()?;
    /// sched.finish()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub async fn recvfrom(&self, bufsize: usize) -> io::Result<(Vec<u8>, SocketAddr)> {
        self.recvfrom_in(bufsize, Mode::Reactor).await
    }

    pub(super) async fn recvfrom_in(
        &self,
        bufsize: usize,
        mode: Mode,
    ) -> io::Result<(Vec<u8>, SocketAddr)> {
        let deadline = self.deadline(mode);
        let _turn = enter(&self.reading, mode, &deadline).await?;
        let mut buf = vec![0; bufsize];
        let (n, addr) = drive(&self.src, mode, &deadline, || self.try_recvfrom(&mut buf)).await?;
        buf.truncate(n);
        Ok((buf, addr))
    }

    fn try_recvfrom(&self, buf: &mut [u8]) -> Step<(usize, SocketAddr)> {
        loop {
            match rustix::net::recvfrom(self.src.fd(), &mut *buf, RecvFlags::empty()) {
                Ok((n, _, Some(addr))) => {
                    let addr = SocketAddr::try_from(addr)
                        .map_err(|_| io::Error::other("sender is not an IP address"))?;
                    return Ok((n, addr));
                }
                Ok((_, _, None)) => {
                    return Err(Stall::Failed(io::Error::other(
                        "datagram without a sender address",
                    )));
                }
                Err(Errno::INTR) => {}
                Err(err) => return Err(Stall::from_io(err.into(), Direction::Read)),
            }
        }
    }

    /// Sends `data` as one datagram to `addr`; the count sent.
    ///
    /// # Errors
    ///
    /// Socket failures (`EMSGSIZE` for a datagram too large), `TimedOut`.
    pub async fn sendto(&self, data: &[u8], addr: SocketAddr) -> io::Result<usize> {
        self.sendto_in(data, addr, Mode::Reactor).await
    }

    pub(super) async fn sendto_in(
        &self,
        data: &[u8],
        addr: SocketAddr,
        mode: Mode,
    ) -> io::Result<usize> {
        let deadline = self.deadline(mode);
        let _turn = enter(&self.writing, mode, &deadline).await?;
        drive(&self.src, mode, &deadline, || {
            loop {
                match rustix::net::sendto(self.src.fd(), data, SendFlags::NOSIGNAL, &addr) {
                    Ok(n) => return Ok(n),
                    Err(Errno::INTR) => {}
                    Err(err) => return Err(Stall::from_io(err.into(), Direction::Write)),
                }
            }
        })
        .await
    }
}
