#!/usr/bin/env python3
"""serve.py: the `make run` server.  user.cgi mounted at /user on a loopback port.

Why not python's own CGIHTTPRequestHandler: it sends "200 Script output
follows" before the program runs and gives the program the client socket
as stdin, so a client never sees the status the program chose.  This
handler runs the program itself (RFC 3875): it feeds the request body
through a pipe, closed at the body's end, reads the program's whole
output, and turns its `Status:` header into the real status line.

The program runs as `nobody` when this server runs as root, as python's
handler does: the CGI parses untrusted input and has no need of root.  The
default store folder (run/ in the project) is then given to nobody.

Standard library only (Python 3.11).
"""
import argparse
import http.server
import os
import pwd
import re
import socket
import subprocess
import sys
import threading
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MOUNT = b"/user"
TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
CGI_TIMEOUT = 60	# seconds a program may run before it is killed
IO_TIMEOUT = 30		# seconds a client may stall mid-request
DISCARD_MAX = 1 << 20	# body bytes read and dropped after the program stopped reading
# Settings passed on from this server's own environment when set.
PASS_ENV = ("USER_HASH_METHOD", "USER_HASH_COST", "USER_HTPASSWD",
    "USER_BODY_TIMEOUT_MS", "USER_LOCK_TIMEOUT_MS", "TZ", "LANG")
# Request headers that never become HTTP_* variables: the two that have
# their own variables, and Proxy (the "httpoxy" hole in programs that read
# HTTP_PROXY as a proxy setting).
HIDDEN = {"content-length", "content-type", "proxy"}


class BadRequest(Exception):
	pass


def pieces(rfile, left):
	"""Yield up to `left` bytes of rfile as they come; fewer at its end."""
	while left > 0:
		piece = rfile.read1(min(left, 65536))
		if not piece:
			return
		left -= len(piece)
		yield piece


def body_reader(rfile, length, chunked):
	"""Yield the request body in pieces: `length` bytes, or de-chunked."""
	if not chunked:
		yield from pieces(rfile, length)
		return
	while True:
		line = rfile.readline(1024)
		size = line.split(b";", 1)[0].strip()
		if not line.endswith(b"\n") or not re.fullmatch(rb"[0-9A-Fa-f]+", size):
			return		# broken framing: the program sees a short body
		left = int(size, 16)
		if left == 0:
			while rfile.readline(1024) not in (b"\r\n", b"\n", b""):
				pass	# trailer fields, dropped
			return
		got = 0
		for piece in pieces(rfile, left):
			got += len(piece)
			yield piece
		if got < left:
			return
		rfile.readline(3)	# the CRLF after the chunk


def feed(proc, pieces):
	"""Copy the body into the program; once it stops reading, drop the rest."""
	dropped = 0
	writing = True
	try:
		for piece in pieces:
			if writing:
				try:
					proc.stdin.write(piece)
					proc.stdin.flush()
					continue
				except OSError:
					writing = False
			dropped += len(piece)
			if dropped > DISCARD_MAX:
				break
	except OSError:
		pass		# the client went away or stalled
	finally:
		try:
			proc.stdin.close()
		except OSError:
			pass


def parse_output(raw):
	"""Split CGI output into (status, reason, [(name, value)], body)."""
	headers = []
	pos = 0
	while True:
		nl = raw.find(b"\n", pos)
		if nl < 0:
			raise ValueError("output ends inside the header block")
		line = raw[pos:nl].rstrip(b"\r")
		pos = nl + 1
		if not line:
			break
		name, sep, value = line.partition(b":")
		if not sep or not TOKEN.fullmatch(name.decode("latin-1")):
			raise ValueError("malformed header line %r" % line[:80])
		headers.append((name.decode("latin-1"), value.strip().decode("latin-1")))
	status, reason = 200, None
	names = [n.lower() for n, _ in headers]
	if "status" in names:
		value = headers.pop(names.index("status"))[1]
		code, _, reason = value.partition(" ")
		if not re.fullmatch(r"[1-5][0-9][0-9]", code):
			raise ValueError("bad Status %r" % value)
		status, reason = int(code), reason.strip() or None
	elif "location" in names:
		status = 302
	return status, reason, headers, raw[pos:]


class UserCGIHandler(http.server.BaseHTTPRequestHandler):
	protocol_version = "HTTP/1.1"	# answers 100-continue; we still close after each answer
	server_version = "user.cgi-serve"

	def __getattr__(self, name):
		# Every method goes to the program: it answers 405 with Allow itself.
		if name.startswith("do_"):
			return self.handle_request
		raise AttributeError(name)

	def plain(self, code, text):
		body = (text + "\n").encode()
		self.send_response(code)
		self.send_header("Content-Type", "text/plain; charset=utf-8")
		self.send_header("Content-Length", str(len(body)))
		self.send_header("Connection", "close")
		self.end_headers()
		if self.command != "HEAD":
			self.wfile.write(body)

	def handle_request(self):
		self.close_connection = True
		try:
			self.run_program()
		except BadRequest as err:
			self.plain(400, "Bad Request: %s" % err)

	def environment(self, path_info, query):
		srv = self.server
		env = {
			"PATH": "/usr/bin:/bin",
			"GATEWAY_INTERFACE": "CGI/1.1",
			"SERVER_SOFTWARE": self.server_version,
			"SERVER_NAME": srv.server_name_for_cgi,
			"SERVER_PORT": str(srv.server_address[1]),
			"SERVER_PROTOCOL": self.request_version,
			"REQUEST_METHOD": self.command,
			"REQUEST_URI": self.path,
			"SCRIPT_NAME": MOUNT.decode(),
			"SCRIPT_FILENAME": srv.cgi,
			"QUERY_STRING": query,
			"REMOTE_ADDR": self.client_address[0],
			"REMOTE_PORT": str(self.client_address[1]),
			"USER_STORE": srv.store,
		}
		env = {k.encode(): v.encode("latin-1", "replace") for k, v in env.items()}
		if path_info:
			env[b"PATH_INFO"] = path_info
		for name in PASS_ENV:
			if name in os.environ:
				env[name.encode()] = os.environb[name.encode()]
		for name in ("Content-Type", "Content-Length"):
			if name in self.headers:
				env[("CONTENT_" + name[8:].upper()).encode()] = \
				    self.headers[name].encode("latin-1", "replace")
		seen = {}
		for name, value in self.headers.items():
			if name.lower() in HIDDEN or not TOKEN.fullmatch(name):
				continue
			key = "HTTP_" + name.upper().replace("-", "_")
			seen[key] = seen[key] + ", " + value if key in seen else value
		for key, value in seen.items():
			env[key.encode()] = value.encode("latin-1", "replace")
		return env

	def run_program(self):
		if not TOKEN.fullmatch(self.command):
			raise BadRequest("method")
		target = self.path
		if not target.startswith("/"):
			target = urllib.parse.urlsplit(target)._replace(scheme="", netloc="").geturl()
		raw_path, _, query = target.partition("?")
		path = urllib.parse.unquote_to_bytes(raw_path.encode("latin-1"))
		if b"\0" in path:
			raise BadRequest("NUL in path")
		if path != MOUNT and not path.startswith(MOUNT + b"/"):
			self.plain(404, "Not Found: only /user is served here")
			return

		length, chunked = 0, False
		te = self.headers.get("Transfer-Encoding")
		cl = self.headers.get("Content-Length")
		if te is not None:
			if cl is not None or te.strip().lower() != "chunked":
				raise BadRequest("Transfer-Encoding")
			chunked = True
		elif cl is not None:
			if not re.fullmatch(r"[0-9]{1,18}", cl.strip()):
				raise BadRequest("Content-Length")
			length = int(cl)

		self.connection.settimeout(IO_TIMEOUT)
		try:
			proc = subprocess.Popen(
			    [self.server.cgi], env=self.environment(path[len(MOUNT):], query),
			    stdin=subprocess.PIPE, stdout=subprocess.PIPE,
			    cwd=os.path.dirname(self.server.cgi), close_fds=True,
			    **self.server.drop)
		except OSError as err:
			self.log_error("cannot run %s: %s", self.server.cgi, err)
			self.plain(500, "Internal Server Error")
			return
		feeder = threading.Thread(target=feed, daemon=True,
		    args=(proc, body_reader(self.rfile, length, chunked)))
		feeder.start()
		killer = threading.Timer(CGI_TIMEOUT, proc.kill)
		killer.start()
		try:
			raw = proc.stdout.read()
			proc.wait()
		finally:
			killer.cancel()
		try:
			status, reason, headers, body = parse_output(raw)
		except ValueError as err:
			self.log_error("%s: %s (exit %s)", self.server.cgi, err, proc.returncode)
			self.plain(500, "Internal Server Error")
			return
		self.send_response(status, reason)
		names = {n.lower() for n, _ in headers}
		for name, value in headers:
			if name.lower() != "connection":
				self.send_header(name, value)
		if "content-length" not in names and self.command != "HEAD":
			self.send_header("Content-Length", str(len(body)))
		self.send_header("Connection", "close")
		self.end_headers()
		if self.command != "HEAD":
			self.wfile.write(body)
		self.wfile.flush()
		# Let the feeder drain what the client still sends, so closing
		# with unread bytes does not reset the connection under the answer.
		try:
			self.connection.shutdown(socket.SHUT_WR)
		except OSError:
			pass
		feeder.join(5)


class Server(http.server.ThreadingHTTPServer):
	daemon_threads = True


def store_folder_for(store, default, drop):
	"""Make the store's folder; give the default one to nobody when we drop."""
	folder = os.path.dirname(store)
	os.makedirs(folder, mode=0o750, exist_ok=True)
	if not drop:
		return
	st = os.stat(folder)
	if os.path.abspath(store) == default:
		os.chown(folder, drop["user"], drop["group"])
		os.chmod(folder, 0o750)
	elif st.st_uid != drop["user"] and not st.st_mode & 0o002:
		print("serve.py: warning: %s is not writable by nobody, who runs the CGI"
		    % folder, file=sys.stderr)


def main():
	default_store = os.path.join(ROOT, "run", "users")
	ap = argparse.ArgumentParser(
	    description="Serve user.cgi at /user (SCRIPT_NAME /user) with real status lines.")
	ap.add_argument("--port", type=int, default=8000, help="TCP port (default 8000)")
	ap.add_argument("--bind", default="127.0.0.1", help="address (default 127.0.0.1)")
	ap.add_argument("--cgi", default=os.path.join(ROOT, "cgi-bin", "user.cgi"),
	    help="the CGI program (default cgi-bin/user.cgi)")
	ap.add_argument("--store", default=default_store,
	    help="the store file, $USER_STORE (default run/users in the project)")
	args = ap.parse_args()

	cgi = os.path.abspath(args.cgi)
	if not os.access(cgi, os.X_OK):
		sys.exit("serve.py: %s is not an executable program; build it with `make`" % cgi)
	drop = {}
	if os.geteuid() == 0:
		try:
			pw = pwd.getpwnam("nobody")
			drop = {"user": pw.pw_uid, "group": pw.pw_gid, "extra_groups": []}
		except KeyError:
			drop = {"user": 65534, "group": 65534, "extra_groups": []}
	store = os.path.abspath(args.store)
	store_folder_for(store, default_store, drop)

	if ":" in args.bind:
		Server.address_family = socket.AF_INET6
	try:
		httpd = Server((args.bind, args.port), UserCGIHandler)
	except OSError as err:
		sys.exit("serve.py: cannot listen on %s port %d: %s" % (args.bind, args.port, err))
	httpd.cgi = cgi
	httpd.store = store
	httpd.drop = drop
	httpd.server_name_for_cgi = args.bind
	host = "[%s]" % args.bind if ":" in args.bind else args.bind
	url = "http://%s:%d/user/" % (host, httpd.server_address[1])
	print("user.cgi at %s  (store %s%s)" % (url, store, ", CGI runs as nobody" if drop else ""))
	print("register a user:")
	print("  curl -i -H 'Content-Type: application/json' "
	    "-d '{\"username\":\"jane\",\"password\":\"correct horse\",\"email\":\"jane@example.com\"}' "
	    + url)
	print("Ctrl-C stops the server.", flush=True)
	try:
		httpd.serve_forever()
	except KeyboardInterrupt:
		pass
	finally:
		httpd.server_close()
	return 0


if __name__ == "__main__":
	sys.exit(main())
