//! The first screen of a fresh install, and the Content-Security-Policy probe: the window reaches nothing outside
//! the app.

use super::*;

/// The first screen of a fresh install, and the Content-Security-Policy: the window must reach nothing outside
/// the app, neither the network nor the file system, even if a script tried.
#[test]
fn first_screen_and_csp() {
    let app = App::start("first_screen_and_csp");
    let d = &app.driver;

    step("first screen: with no vault yet, the Welcome screen offers to create one");
    d.wait_for(&tid("welcome-create"));

    step(
        "CSP: fetch to a listening local server, an <img> from it and fetch of file:///etc/hostname all fail",
    );
    let server = CountingServer::start();
    let probe = TcpStream::connect(("127.0.0.1", server.port));
    assert!(
        probe.is_ok(),
        "the test's HTTP server must accept a plain connection, so that a failure in the window is the CSP's doing \
         and not a missing network: {probe:?}"
    );
    drop(probe);
    let baseline = server.wait_for_connections(1);

    let result = d
        .execute_async(
            r#"
            const port = arguments[0];
            const violations = [];
            document.addEventListener('securitypolicyviolation', (e) =>
              violations.push(`${e.violatedDirective} ${e.blockedURI}`));
            const attempt = async (f) => {
              try { await f(); return 'succeeded'; } catch (e) { return `failed: ${e}`; }
            };
            const fetchHttp = await attempt(() => fetch(`http://127.0.0.1:${port}/x`, { cache: 'no-store' }));
            const img = await new Promise((resolve) => {
              const el = document.createElement('img');
              const timer = setTimeout(() => resolve('no load or error event within 10 s'), 10000);
              el.onload = () => { clearTimeout(timer); el.remove(); resolve('loaded'); };
              el.onerror = () => { clearTimeout(timer); el.remove(); resolve('failed: error event'); };
              el.alt = '';
              el.src = `http://127.0.0.1:${port}/pixel.gif?${Date.now()}`;
              document.body.appendChild(el);
            });
            const fetchFile = await attempt(() => fetch('file:///etc/hostname'));
            await new Promise((r) => setTimeout(r, 300));
            return { fetchHttp, img, fetchFile, violations };
            "#,
            vec![json!(server.port)],
        )
        .unwrap_or_else(|e| panic!("the CSP probe script could not run: {e}"));
    println!("   CSP probe: {result}");
    for (key, what) in [
        ("fetchHttp", "fetch() to http://127.0.0.1"),
        ("img", "an <img> from http://127.0.0.1"),
        ("fetchFile", "fetch() of file:///etc/hostname"),
    ] {
        let outcome = result[key].as_str().unwrap_or_default();
        assert!(
            outcome.starts_with("failed"),
            "{what} must be blocked by the Content-Security-Policy (a compromised or tricked page must not send the \
             journal anywhere or read local files); it {outcome}"
        );
    }
    let violations: Vec<&str> = result["violations"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for directive in ["connect-src", "img-src"] {
        assert!(
            violations
                .iter()
                .any(|v| v.starts_with(directive) && v.contains(&format!("127.0.0.1:{}", server.port))),
            "the request to the local server must be refused by the CSP's {directive} (reported as a \
             securitypolicyviolation), not by chance; violations reported: {violations:?}"
        );
    }
    let after = server.connections();
    assert_eq!(
        after,
        baseline,
        "the window must not open a single connection to a local server (connect-src/img-src); it opened {}",
        after - baseline
    );
    drop(server);

    step(
        "sandbox: every WebKit web process runs under bubblewrap with seccomp, no new privileges, no network",
    );
    let procs = app.processes();
    let app_pid = procs
        .iter()
        .find(|(_, name)| name == "redress")
        .map(|(pid, _)| *pid)
        .unwrap_or_else(|| panic!("the app process is not among tauri-driver's descendants: {procs:?}"));
    let status = |pid: u32| std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let net = |pid: u32| std::fs::read_link(format!("/proc/{pid}/ns/net")).ok();
    // `comm` is cut to 15 characters: "WebKitWebProces".
    let web: Vec<u32> =
        procs.iter().filter(|(_, name)| name.starts_with("WebKitWebProc")).map(|(pid, _)| *pid).collect();
    assert!(!web.is_empty(), "no WebKit web process found below the app: {procs:?}");
    assert!(
        procs.iter().any(|(_, name)| name == "bwrap"),
        "WebKit's web process must be started through bubblewrap (WEBKIT_FORCE_SANDBOX): {procs:?}"
    );
    // No core file: the app holds the data key, and its WebKit processes hold what the pages show.
    let core_limit = |pid: u32| {
        let limits = std::fs::read_to_string(format!("/proc/{pid}/limits")).unwrap_or_default();
        limits
            .lines()
            .find(|l| l.starts_with("Max core file size"))
            .map(|l| l.split_whitespace().skip(4).take(2).collect::<Vec<_>>().join(" "))
            .unwrap_or_else(|| format!("unreadable: {limits}"))
    };
    assert_eq!(
        core_limit(app_pid),
        "0 0",
        "the app must run with a core file size limit of 0 (soft and hard)"
    );
    for pid in web
        .iter()
        .copied()
        .chain(procs.iter().filter(|(_, name)| name.starts_with("WebKitNetwork")).map(|(pid, _)| *pid))
    {
        assert_eq!(core_limit(pid), "0 0", "WebKit process {pid} must inherit the core file size limit of 0");
    }
    for pid in web {
        let text = status(pid);
        for line in ["NoNewPrivs:\t1", "Seccomp:\t2"] {
            assert!(
                text.contains(line),
                "web process {pid} must show `{line}` in /proc/{pid}/status:\n{text}"
            );
        }
        assert_ne!(net(pid), net(app_pid), "web process {pid} must have a network namespace of its own");
    }

    close_app(app);
}

/// A loopback HTTP server that counts connections (and would answer, so a request that got through shows as
/// success, not as an error).
struct CountingServer {
    port: u16,
    count: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    thread: Option<thread::JoinHandle<()>>,
}

impl CountingServer {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        listener.set_nonblocking(true).expect("non-blocking listener");
        let port = listener.local_addr().expect("local address").port();
        let count = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (c, s) = (Arc::clone(&count), Arc::clone(&stop));
        let thread = thread::spawn(move || {
            // A 1×1 transparent GIF.
            const GIF: &[u8] = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff\x21\xf9\x04\x01\x00\x00\x00\x00\x2c\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x44\x01\x00\x3b";
            while !s.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((mut stream, _)) => {
                        c.fetch_add(1, Ordering::SeqCst);
                        let _ = stream.set_nonblocking(false);
                        let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
                        let mut buf = [0u8; 2048];
                        let _ = stream.read(&mut buf);
                        let head = format!(
                            "HTTP/1.1 200 OK\r\nContent-Type: image/gif\r\nAccess-Control-Allow-Origin: *\r\n\
                             Content-Length: {}\r\nConnection: close\r\n\r\n",
                            GIF.len()
                        );
                        let _ = stream.write_all(head.as_bytes());
                        let _ = stream.write_all(GIF);
                    }
                    Err(_) => thread::sleep(Duration::from_millis(20)),
                }
            }
        });
        CountingServer { port, count, stop, thread: Some(thread) }
    }

    fn connections(&self) -> usize {
        self.count.load(Ordering::SeqCst)
    }

    /// Waits (briefly) until at least `n` connections were counted; returns the count.
    fn wait_for_connections(&self, n: usize) -> usize {
        let start = Instant::now();
        while self.connections() < n && start.elapsed() < Duration::from_secs(5) {
            thread::sleep(Duration::from_millis(20));
        }
        let got = self.connections();
        assert!(got >= n, "the test's HTTP server did not count the test's own connection");
        got
    }
}

impl Drop for CountingServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
