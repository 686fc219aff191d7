//! End to end with the real Syncthing: two instances on 127.0.0.1 share one folder, each
//! side's exback data directory. Both sides write while the devices are paused, so that
//! Syncthing settles the clash with a `*.sync-conflict-*` copy of the journal; exback must
//! then show every entry once on either side.
//!
//! Nothing here reaches past the loopback address: discovery (global and local), relays,
//! NAT traversal, usage and crash reporting and upgrades are all off in the configuration
//! written below; device a dials b at b's fixed `tcp://127.0.0.1` address, and b accepts a
//! by its device id. docs/sync.md describes the scenario and what Syncthing did.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use common::Env;
use serde_json::Value;

/// The folder id both instances share.
const FOLDER: &str = "exback";

/// The longest any one wait may take before the test fails with both instances' logs.
const LIMIT: Duration = Duration::from_secs(60);

/// One pair of Syncthing instances at a time: two cores are enough for two, and a second
/// pair in parallel would only slow both down toward their time limits.
static ONE_PAIR: Mutex<()> = Mutex::new(());

/// Whether Syncthing is here to run, or (under EXBACK_REQUIRE_TOOLS=1) a failure saying
/// it is not.
fn syncthing_present() -> bool {
    let works = Command::new("syncthing")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    common::tool_present("syncthing", works)
}

/// Ports that were free a moment ago on 127.0.0.1, all different.
fn free_ports<const N: usize>() -> [u16; N] {
    let listeners: Vec<TcpListener> = (0..N)
        .map(|_| TcpListener::bind("127.0.0.1:0").expect("a free port on 127.0.0.1"))
        .collect();
    std::array::from_fn(|i| listeners[i].local_addr().expect("bound address").port())
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// One Syncthing instance: its home (keys, config, database), its ports and, once
/// started, the child process, killed when this is dropped.
struct Instance {
    name: &'static str,
    home: PathBuf,
    /// Where HOME points for the child, so that nothing is written to the real one.
    user_home: PathBuf,
    id: String,
    listen_port: u16,
    gui_port: u16,
    api_key: String,
    log: PathBuf,
    child: Option<Child>,
}

impl Instance {
    /// Generates keys and a device id in `dir/syncthing`; nothing runs yet.
    fn generate(name: &'static str, dir: &Path, listen_port: u16, gui_port: u16) -> Self {
        let home = dir.join("syncthing");
        let out = Command::new("syncthing")
            .args([
                "generate",
                "--no-default-folder",
                "--skip-port-probing",
                "--home",
            ])
            .arg(&home)
            .env("HOME", dir)
            .env("STNODEFAULTFOLDER", "1")
            .output()
            .expect("syncthing generate runs");
        assert!(
            out.status.success(),
            "syncthing generate failed for {name}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let out = Command::new("syncthing")
            .args(["serve", "--device-id", "--home"])
            .arg(&home)
            .env("HOME", dir)
            .output()
            .expect("syncthing --device-id runs");
        let id = String::from_utf8_lossy(&out.stdout).trim().to_string();
        assert!(
            out.status.success() && id.len() == 63 && id.split('-').count() == 8,
            "no device id for {name}: {id:?} {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Self {
            name,
            log: dir.join(format!("syncthing-{name}.log")),
            home,
            user_home: dir.to_path_buf(),
            id,
            listen_port,
            gui_port,
            api_key: format!("exback-test-key-{name}-{gui_port}"),
            child: None,
        }
    }

    /// The first seven characters of the device id, as Syncthing names conflict copies.
    fn short_id(&self) -> &str {
        &self.id[..7]
    }

    /// Replaces the generated config.xml: loopback only, nothing announced or reported,
    /// and one shared folder at `folder`. The instance that `dials` knows the peer at its
    /// fixed address; the other only accepts it (by its device id). When both dial at once,
    /// Syncthing 1.19 can stall 20 s on the two crossing connections' hello messages.
    fn configure(&self, peer: &Instance, folder: &Path, dials: bool) {
        let path = xml_escape(&folder.display().to_string());
        let (me, other) = (&self.id, &peer.id);
        // With every kind of discovery off, "dynamic" is no address at all.
        let peer_address = if dials {
            format!("tcp://127.0.0.1:{}", peer.listen_port)
        } else {
            "dynamic".to_string()
        };
        let config = format!(
            r#"<configuration version="36">
    <folder id="{FOLDER}" label="{FOLDER}" path="{path}" type="sendreceive" rescanIntervalS="3600" fsWatcherEnabled="true" fsWatcherDelayS="1" ignorePerms="false" autoNormalize="true">
        <filesystemType>basic</filesystemType>
        <device id="{me}" introducedBy=""></device>
        <device id="{other}" introducedBy=""></device>
        <minDiskFree unit="%">0</minDiskFree>
        <maxConflicts>10</maxConflicts>
        <markerName>.stfolder</markerName>
        <paused>false</paused>
    </folder>
    <device id="{me}" name="{name}" compression="metadata" introducer="false">
        <address>tcp://127.0.0.1:{listen}</address>
        <paused>false</paused>
        <autoAcceptFolders>false</autoAcceptFolders>
    </device>
    <device id="{other}" name="{peer_name}" compression="metadata" introducer="false">
        <address>{peer_address}</address>
        <paused>false</paused>
        <autoAcceptFolders>false</autoAcceptFolders>
    </device>
    <gui enabled="true" tls="false" debugging="false">
        <address>127.0.0.1:{gui}</address>
        <apikey>{key}</apikey>
        <insecureAdminAccess>false</insecureAdminAccess>
    </gui>
    <options>
        <listenAddress>tcp://127.0.0.1:{listen}</listenAddress>
        <globalAnnounceEnabled>false</globalAnnounceEnabled>
        <localAnnounceEnabled>false</localAnnounceEnabled>
        <relaysEnabled>false</relaysEnabled>
        <natEnabled>false</natEnabled>
        <stunKeepaliveStartS>0</stunKeepaliveStartS>
        <stunKeepaliveMinS>0</stunKeepaliveMinS>
        <announceLANAddresses>false</announceLANAddresses>
        <urAccepted>-1</urAccepted>
        <urSeen>3</urSeen>
        <crashReportingEnabled>false</crashReportingEnabled>
        <autoUpgradeIntervalH>0</autoUpgradeIntervalH>
        <startBrowser>false</startBrowser>
        <restartOnWakeup>false</restartOnWakeup>
        <reconnectionIntervalS>1</reconnectionIntervalS>
        <setLowPriority>false</setLowPriority>
        <minHomeDiskFree unit="%">0</minHomeDiskFree>
    </options>
</configuration>
"#,
            name = self.name,
            peer_name = peer.name,
            listen = self.listen_port,
            gui = self.gui_port,
            key = self.api_key,
        );
        std::fs::write(self.home.join("config.xml"), config).expect("config.xml written");
    }

    fn start(&mut self) {
        let log = File::create(&self.log).expect("log file");
        let child = Command::new("syncthing")
            .args([
                "serve",
                "--no-browser",
                "--no-restart",
                "--no-upgrade",
                "--home",
            ])
            .arg(&self.home)
            .env("HOME", &self.user_home)
            .env("STNODEFAULTFOLDER", "1")
            .env("STNORESTART", "1")
            .env("STNOUPGRADE", "1")
            // Run as one process, without the monitor that would fork the real instance
            // as a grandchild; the process group below covers versions that fork anyway.
            .env("STMONITORED", "yes")
            .process_group(0)
            // A proxy from the environment would take the loopback dials elsewhere.
            .env_remove("ALL_PROXY")
            .env_remove("all_proxy")
            .env_remove("HTTP_PROXY")
            .env_remove("http_proxy")
            .env_remove("HTTPS_PROXY")
            .env_remove("https_proxy")
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log file"))
            .stderr(log)
            .spawn()
            .expect("syncthing starts");
        self.child = Some(child);
    }

    /// One REST call (HTTP/1.0, so the answer ends with the connection, never chunked).
    fn rest(&self, method: &str, path: &str, body: &str) -> Result<Value, String> {
        let addr = SocketAddr::from(([127, 0, 0, 1], self.gui_port));
        let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(2))
            .map_err(|e| format!("{method} {path}: {e}"))?;
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .and_then(|()| stream.set_write_timeout(Some(Duration::from_secs(5))))
            .map_err(|e| e.to_string())?;
        let request = format!(
            "{method} {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nX-API-Key: {key}\r\n\
             Content-Type: application/json\r\nContent-Length: {len}\r\n\r\n{body}",
            port = self.gui_port,
            key = self.api_key,
            len = body.len(),
        );
        stream
            .write_all(request.as_bytes())
            .map_err(|e| format!("{method} {path}: {e}"))?;
        let mut answer = Vec::new();
        stream
            .read_to_end(&mut answer)
            .map_err(|e| format!("{method} {path}: {e}"))?;
        let answer = String::from_utf8_lossy(&answer);
        let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
        let status = head.split_whitespace().nth(1).unwrap_or("");
        if !status.starts_with('2') {
            return Err(format!("{method} {path}: {head} {body}"));
        }
        if body.trim().is_empty() {
            return Ok(Value::Null);
        }
        serde_json::from_str(body).map_err(|e| format!("{method} {path}: {e}: {body}"))
    }

    fn get(&self, path: &str) -> Option<Value> {
        self.rest("GET", path, "").ok()
    }

    /// Whether the instance is connected to `peer`, or `None` while it does not answer.
    fn connection_to(&self, peer: &Instance) -> Option<bool> {
        let connections = self.get("/rest/system/connections")?;
        connections["connections"][&peer.id]["connected"].as_bool()
    }

    fn connected_to(&self, peer: &Instance) -> bool {
        self.connection_to(peer) == Some(true)
    }

    /// Whether the instance answers and is not connected to `peer`.
    fn cut_off_from(&self, peer: &Instance) -> bool {
        self.connection_to(peer) == Some(false)
    }

    /// Whether the shared folder is idle, needs nothing, and `peer` has all of it.
    fn idle_and_complete_for(&self, peer: &Instance) -> bool {
        let Some(status) = self.get(&format!("/rest/db/status?folder={FOLDER}")) else {
            return false;
        };
        let Some(completion) = self.get(&format!(
            "/rest/db/completion?folder={FOLDER}&device={}",
            peer.id
        )) else {
            return false;
        };
        status["state"] == "idle"
            && status["needTotalItems"] == 0
            && completion["completion"].as_f64() == Some(100.0)
            && completion["needItems"] == 0
    }

    /// Scans the shared folder now (the call returns once the scan is done).
    fn scan(&self) {
        self.rest("POST", &format!("/rest/db/scan?folder={FOLDER}"), "")
            .unwrap_or_else(|e| panic!("scan on {}: {e}", self.name));
    }

    /// Pauses or resumes the peer device in this instance's configuration.
    fn set_peer_paused(&self, peer: &Instance, paused: bool) {
        self.rest(
            "PATCH",
            &format!("/rest/config/devices/{}", peer.id),
            &format!(r#"{{"paused":{paused}}}"#),
        )
        .unwrap_or_else(|e| panic!("pausing on {}: {e}", self.name));
    }

    /// The last lines of the instance's log, for a failure message.
    fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        let from = lines.len().saturating_sub(60);
        format!(
            "--- syncthing {} ({}) log, last lines ---\n{}",
            self.name,
            self.short_id(),
            lines[from..].join("\n")
        )
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            // The whole group: no Syncthing process outlives the test.
            let group = rustix::process::Pid::from_child(&child);
            let _ = rustix::process::kill_process_group(group, rustix::process::Signal::KILL);
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// One device: an exback data directory and the Syncthing instance that shares it.
struct Side {
    /// Declared first, so that Syncthing is stopped before its temp dir is removed.
    st: Instance,
    env: Env,
}

impl Side {
    fn write(&self, text: &str) -> String {
        self.env.ok(&["write", text], "").trim().to_string()
    }

    /// The ids `exback log --json` lists, in order, repeats kept.
    fn logged_ids(&self) -> Vec<String> {
        let out = self.env.ok(&["log", "--json"], "");
        let entries: Value = serde_json::from_str(&out)
            .unwrap_or_else(|e| panic!("log --json on {} is not JSON: {e}\n{out}", self.st.name));
        entries
            .as_array()
            .unwrap_or_else(|| panic!("log --json on {} is not a list: {out}", self.st.name))
            .iter()
            .map(|e| e["id"].as_str().expect("every entry has an id").to_string())
            .collect()
    }

    /// The folder's files, name to bytes, without Syncthing's own marker and temp files.
    fn files(&self) -> BTreeMap<String, Vec<u8>> {
        let mut files = BTreeMap::new();
        let Ok(dir) = std::fs::read_dir(self.env.data()) else {
            return files;
        };
        for entry in dir.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name == ".stfolder" || name.starts_with(".syncthing.") || name.starts_with('~') {
                continue;
            }
            if let Ok(bytes) = std::fs::read(entry.path()) {
                files.insert(name, bytes);
            }
        }
        files
    }

    /// The journal's conflict copies Syncthing has made here.
    fn conflict_copies(&self) -> Vec<String> {
        self.files()
            .into_keys()
            .filter(|n| n.starts_with("journal.sync-conflict-"))
            .collect()
    }
}

/// Two devices sharing one folder, connected and idle.
struct Pair {
    a: Side,
    b: Side,
}

impl Pair {
    fn start() -> Self {
        let [a_listen, a_gui, b_listen, b_gui] = free_ports::<4>();
        let (a_env, b_env) = (Env::new(), Env::new());
        a_env.make_data();
        b_env.make_data();
        let mut a = Instance::generate("a", a_env.tmp.path(), a_listen, a_gui);
        let mut b = Instance::generate("b", b_env.tmp.path(), b_listen, b_gui);
        a.configure(&b, &a_env.data(), true);
        b.configure(&a, &b_env.data(), false);
        // b listens first, so that a's first dial finds it (a failed dial waits seconds
        // before the next).
        b.start();
        let start = Instant::now();
        while b.get("/rest/system/ping").is_none() {
            assert!(
                start.elapsed() <= LIMIT,
                "b does not answer\n{}",
                b.log_tail()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        a.start();
        let pair = Self {
            a: Side { st: a, env: a_env },
            b: Side { st: b, env: b_env },
        };
        pair.wait("both instances answer and connect to each other", || {
            pair.a.st.connected_to(&pair.b.st) && pair.b.st.connected_to(&pair.a.st)
        });
        pair
    }

    /// Polls `done` until it holds; after LIMIT the test fails with both logs.
    fn wait(&self, what: &str, mut done: impl FnMut() -> bool) {
        let start = Instant::now();
        while !done() {
            assert!(
                start.elapsed() <= LIMIT,
                "timed out after {LIMIT:?} waiting until {what}\n{}\n{}\nfiles on a: {:?}\nfiles on b: {:?}",
                self.a.st.log_tail(),
                self.b.st.log_tail(),
                self.a.files().keys().collect::<Vec<_>>(),
                self.b.files().keys().collect::<Vec<_>>(),
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        println!("{:.1?} until {what}", start.elapsed());
    }

    /// Scans both sides, then waits until they are connected, idle, need nothing from
    /// each other and hold the same files, and `also` holds for those files.
    fn settle(&self, what: &str, also: impl Fn(&BTreeMap<String, Vec<u8>>) -> bool) {
        self.a.st.scan();
        self.b.st.scan();
        let (a, b) = (&self.a.st, &self.b.st);
        self.wait(what, || {
            let files = self.a.files();
            a.connected_to(b)
                && b.connected_to(a)
                && a.idle_and_complete_for(b)
                && b.idle_and_complete_for(a)
                && files == self.b.files()
                && also(&files)
        });
    }

    /// Pauses or resumes each side's peer; b, which only accepts, resumes first, so that
    /// a's dial on resuming is not turned away.
    fn set_paused(&self, paused: bool) {
        self.b.st.set_peer_paused(&self.a.st, paused);
        self.a.st.set_peer_paused(&self.b.st, paused);
    }
}

/// What the scenario wrote: the entry both sides had before the pause, and the one each
/// side wrote while paused.
struct Written {
    before: String,
    on_a: String,
    on_b: String,
}

impl Written {
    fn all(&self) -> BTreeSet<String> {
        [&self.before, &self.on_a, &self.on_b]
            .into_iter()
            .cloned()
            .collect()
    }
}

/// A writes and the entry reaches B; then, with each side's peer paused, both write;
/// then both resume and the folder settles with a conflict copy of the journal.
fn conflict_scenario(pair: &Pair) -> Written {
    let before = pair.a.write("Written on the laptop, before the trip.");
    pair.settle("the first entry reaches b", |files| {
        files.contains_key("journal.jsonl")
    });
    assert_eq!(
        pair.b.logged_ids(),
        std::slice::from_ref(&before),
        "b sees a's entry"
    );

    pair.set_paused(true);
    let (a, b) = (&pair.a.st, &pair.b.st);
    pair.wait("both sides see the other paused and disconnected", || {
        a.cut_off_from(b) && b.cut_off_from(a)
    });
    let on_a = pair.a.write("Written on the laptop, offline.");
    let on_b = pair.b.write("Written on the desktop, at the same time.");
    // Each side indexes its own change while the other cannot see it: concurrent versions.
    a.scan();
    b.scan();
    pair.set_paused(false);
    pair.settle(
        "both sides are back in sync with a conflict copy of the journal",
        |files| {
            files.contains_key("journal.jsonl")
                && files
                    .keys()
                    .any(|n| n.starts_with("journal.sync-conflict-"))
        },
    );
    Written { before, on_a, on_b }
}

/// The ids of the entries in a journal file's bytes.
fn ids_in(bytes: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(bytes)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("a journal line is JSON");
            v["id"]
                .as_str()
                .expect("a journal line has an id")
                .to_string()
        })
        .collect()
}

/// Whether `name` is `journal.sync-conflict-YYYYMMDD-HHMMSS-<short id>.jsonl`.
fn is_conflict_name(name: &str, short_ids: &[&str]) -> bool {
    let Some(rest) = name
        .strip_prefix("journal.sync-conflict-")
        .and_then(|r| r.strip_suffix(".jsonl"))
    else {
        return false;
    };
    let parts: Vec<&str> = rest.split('-').collect();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    parts.len() == 3 && digits(parts[0], 8) && digits(parts[1], 6) && short_ids.contains(&parts[2])
}

/// Syncthing's part alone, true without any merging in exback: the clash leaves the
/// journal and one conflict copy on both sides, named as documented, and between them
/// the two files hold every entry either side wrote.
#[test]
fn syncthing_keeps_a_clash_as_a_conflict_copy_of_the_journal() {
    if !syncthing_present() {
        return;
    }
    let _one = ONE_PAIR.lock().unwrap_or_else(PoisonError::into_inner);
    let pair = Pair::start();
    let written = conflict_scenario(&pair);

    let files = pair.a.files();
    let copies = pair.a.conflict_copies();
    assert_eq!(copies, pair.b.conflict_copies(), "both sides hold the copy");
    assert_eq!(copies.len(), 1, "one clash, one conflict copy: {copies:?}");
    let copy = &copies[0];
    println!("Syncthing named the conflict copy {copy}");
    let short_ids = [pair.a.st.short_id(), pair.b.st.short_id()];
    assert!(
        is_conflict_name(copy, &short_ids),
        "{copy} is not journal.sync-conflict-YYYYMMDD-HHMMSS-<one of {short_ids:?}>.jsonl"
    );

    let main_ids = ids_in(&files["journal.jsonl"]);
    let copy_ids = ids_in(&files[copy]);
    // Each file is one side's whole journal: the shared entry, then that side's own.
    for ids in [&main_ids, &copy_ids] {
        assert_eq!(ids.len(), 2, "{ids:?}");
        assert_eq!(ids[0], written.before);
    }
    let together: BTreeSet<String> = main_ids.into_iter().chain(copy_ids).collect();
    assert_eq!(together, written.all(), "nothing either side wrote is lost");
}

/// The whole story: after Syncthing settles the clash, `exback log --json` on either
/// side lists every entry written on either side exactly once, and after exback has
/// opened both directories and Syncthing has synced again, both sides list the same.
#[test]
fn exback_lists_every_entry_once_after_syncthing_settles_a_clash() {
    if !syncthing_present() {
        return;
    }
    let _one = ONE_PAIR.lock().unwrap_or_else(PoisonError::into_inner);
    let pair = Pair::start();
    let written = conflict_scenario(&pair);
    let all = written.all();

    let check = |side: &Side, round: &str| {
        let ids = side.logged_ids();
        let seen: BTreeSet<String> = ids.iter().cloned().collect();
        assert_eq!(
            ids.len(),
            seen.len(),
            "{round}: an entry is listed twice on {}: {ids:?}",
            side.st.name
        );
        assert_eq!(
            seen,
            all,
            "{round}: log on {} lists {ids:?}, but these were written: a before the pause {}, \
             a while paused {}, b while paused {} (files there: {:?})",
            side.st.name,
            written.before,
            written.on_a,
            written.on_b,
            side.files().keys().collect::<Vec<_>>()
        );
    };
    check(&pair.a, "after the clash");
    check(&pair.b, "after the clash");

    // Whatever exback changed in either directory while reading goes round once more.
    pair.settle(
        "both sides are in sync again after exback read them",
        |_| true,
    );
    check(&pair.a, "after one more sync");
    check(&pair.b, "after one more sync");
}
