// Our own descriptions of HAProxy sample fetches and converters, the source of
// server/data/descriptions/haproxy-samples.json (scripts/gen-haproxy-sample-descriptions.ts). Written for
// haconf, never taken from the GPL manual (test/unit/descriptions.test.ts compares them).
//
// One entry per line: `name: summary` or `name: summary || arg=text; arg=text` (argument names as in the
// newest manual signature, server/data/descriptions/haproxy-sample-facts.json). Families that share one
// shape (stick counters, TLS certificates, request/response pairs, maps, old ACL spellings) are composed
// by the generator from the tables further down.

export const FETCHES = `
51d.all: Runs 51Degrees device detection on all request headers and returns the listed device properties joined by the configured separator. || prop=a 51Degrees property name such as IsMobile or BrowserName
accept_date: Returns when the connection was accepted, as a Unix timestamp. || unit=s (default), ms or us
acl: Evaluates named ACLs, ANDed together (a leading ! negates one), and returns the result as a boolean. || name=ACL name, optionally prefixed with !
act_conn: Returns the number of connections the whole process currently handles.
always_false: Returns false; useful to disable a rule or test a condition.
always_true: Returns true; useful to force a rule or test a condition.
avg_queue: Returns the queued connections of a backend divided by its usable servers, i.e. the average wait line per server. || backend=backend name (default: the current one)
base: Returns the Host header followed by the path, without the query string (e.g. example.com/img/a.png); handy for caching keys and per-site rules.
base32: Returns a 32-bit hash of the Host header and path (as \`base\`), compact enough for stick tables.
base32+src: Returns the \`base32\` hash followed by the client address as binary, to key per-client per-URL counters.
baseq: Returns the Host header followed by the path and the query string.
bc.timer.connect: Returns how long the connection to the server took to establish, in milliseconds.
bc_be_queue: Returns the backend queue position the stream had to go through before it got a server, as %bq logs it.
bc_dst: Returns the destination address of the connection to the server (the server address).
bc_dst_port: Returns the destination port of the connection to the server.
bc_err: Returns the numeric error code of the server-side connection (0 when none).
bc_err_name: Returns the short name of the server-side connection error.
bc_err_str: Returns a readable message for the server-side connection error.
bc_glitches: Returns how many protocol anomalies the server connection has shown (e.g. malformed HTTP/2 frames).
bc_http_major: Returns the HTTP major version spoken on the server connection (1, 2 or 3).
bc_nb_streams: Returns how many streams are open on the server connection (multiplexed protocols).
bc_reused: Returns true when the request went over an already established server connection.
bc_rtt: Returns the kernel's smoothed round-trip time of the server connection. || unit=ms (default) or us
bc_rttvar: Returns the kernel's round-trip time variance of the server connection. || unit=ms (default) or us
bc_setting_streams_limit: Old name of \`bc_settings_streams_limit\`: the stream limit the server announced on this connection.
bc_settings_streams_limit: Returns the maximum number of concurrent streams the server announced on this connection.
bc_src: Returns the local (source) address HAProxy used to reach the server.
bc_src_port: Returns the local (source) port HAProxy used to reach the server.
bc_srv_queue: Returns the server queue position the stream had to go through before it got a connection slot, as %sq logs it.
be_conn: Returns the number of connections currently open to a backend's servers. || backend=backend name (default: the current one)
be_conn_free: Returns how many more connections the usable servers of a backend accept before their maxconn, queues left out; backup servers count only when all others are down. || backend=backend name (default: the current one)
be_connect_timeout: Returns the backend's configured connect timeout, in milliseconds.
be_id: Returns the numeric id of the backend that handles the stream.
be_max_retries: Returns the backend's configured number of connection retries.
be_name: Returns the name of the backend that handles the stream.
be_queue_timeout: Returns the backend's configured queue timeout, in milliseconds.
be_server_timeout: Returns the backend's configured server timeout, in milliseconds.
be_sess_rate: Returns how many sessions per second a backend currently receives. || backend=backend name (default: the current one)
be_tarpit_timeout: Returns the backend's configured tarpit timeout, in milliseconds.
be_tunnel_timeout: Returns the backend's configured tunnel timeout, in milliseconds.
bin: Returns a constant binary value written in hexadecimal. || hex=hexadecimal digits, two per byte
bool: Returns a constant boolean. || bool=true/false, 1/0 or any integer (non-zero is true)
bs.aborted: Returns true when the server-side stream was aborted.
bs.debug_str: Returns a developer dump of the server-side stream's internal state. || bitmap=selects which parts to print
bs.id: Returns the id of the stream on the server connection (e.g. the HTTP/2 stream number).
bs.rst_code: Returns the reset or abort code the server-side stream ended with (e.g. an HTTP/2 RST_STREAM code).
bytes_in: Returns how many bytes the client sent on this stream so far.
bytes_out: Returns how many bytes were sent to the client on this stream so far.
capture.req.hdr: Returns the request header captured by \`capture request header\`, selected by its position among those declarations. || idx=0 for the first capture declaration, 1 for the next, …
capture.req.method: Returns the request method kept for logging, still available after the request is gone.
capture.req.uri: Returns the request URI kept for logging, still available after the request is gone.
capture.req.ver: Returns the request's HTTP version as written (e.g. HTTP/1.1), kept for logging.
capture.res.hdr: Returns the response header captured by \`capture response header\`, selected by its position among those declarations. || idx=0 for the first capture declaration, 1 for the next, …
capture.res.ver: Returns the response's HTTP version as written, kept for logging.
connslots: Returns how many connections plus queue places a backend can still take, to send the overflow elsewhere once it runs low. || backend=backend name (default: the current one)
cookie: Old name of \`req.cook\`: the value of a request cookie. || name=cookie name
cpu_calls: Returns how many times the stream's task has been woken up.
cpu_ns_avg: Returns the average CPU time spent per wake-up of the stream's task, in nanoseconds.
cpu_ns_tot: Returns the total CPU time spent on the stream so far, in nanoseconds.
cpu_usage_grp: Returns the CPU usage of the current thread group, in percent.
cpu_usage_proc: Returns the CPU usage of the whole process, in percent.
cpu_usage_thr: Returns the CPU usage of the current thread, in percent.
cur_client_timeout: Returns the client timeout in force for this stream (after any set-timeout), in milliseconds.
cur_connect_timeout: Returns the connect timeout in force for this stream, in milliseconds.
cur_max_retries: Returns the retry count in force for this stream.
cur_queue_timeout: Returns the queue timeout in force for this stream, in milliseconds.
cur_server_timeout: Returns the server timeout in force for this stream (after any set-timeout), in milliseconds.
cur_tarpit_timeout: Returns the tarpit timeout in force for this stream, in milliseconds.
cur_tunnel_timeout: Returns the tunnel timeout in force for this stream (after any set-timeout), in milliseconds.
date: Returns the current time as a Unix timestamp, optionally shifted. || offset=seconds (or units) added, may be negative; unit=s (default), ms or us
date_us: Returns the microsecond part of the current time.
distcc_body: Parses a distcc request and returns the body of the chosen token. || token=four-letter distcc token; occ=which occurrence (default the first)
distcc_param: Parses a distcc request and returns the parameter of the chosen token as an integer. || token=four-letter distcc token; occ=which occurrence (default the first)
dst: Returns the address the client connected to (the local address of the accepted connection, or the one a PROXY header carried).
dst_conn: Returns how many connections are currently open on the listener that accepted this one, this one included.
dst_is_local: Returns true when the destination address belongs to this host.
dst_port: Returns the port the client connected to.
dump_all_vars: Returns every variable of a scope as name=value pairs, for debugging. || scope=txn, sess, req, res, proc or check; prefix=only names starting with it; delimiter=separator between pairs
env: Returns the value of an environment variable of the HAProxy process. || name=variable name
fc.timer.handshake: Returns how long the client-side handshakes (TCP, PROXY, TLS) took, in milliseconds.
fc.timer.total: Returns how long the client connection has been open, in milliseconds.
fc_dst: Returns the original destination address of the client connection, ignoring a PROXY header.
fc_dst_is_local: Returns true when the client connection's own destination address belongs to this host.
fc_dst_port: Returns the original destination port of the client connection, ignoring a PROXY header.
fc_err: Returns the numeric error code of the client-side connection (0 when none).
fc_err_name: Returns the short name of the client-side connection error.
fc_err_str: Returns a readable message for the client-side connection error.
fc_fackets: Returns the kernel's count of forward-acknowledged packets of the client connection (TCP_INFO). || unit=accepted like fc_rtt's, but the value is a count of packets either way
fc_glitches: Returns how many protocol anomalies the client connection has shown (e.g. malformed HTTP/2 frames).
fc_http_major: Returns the HTTP major version spoken by the client (1, 2 or 3).
fc_lost: Returns the kernel's count of lost packets on the client connection (TCP_INFO). || unit=accepted like fc_rtt's, but the value is a count of packets either way
fc_nb_streams: Returns how many streams are open on the client connection (multiplexed protocols).
fc_pp_authority: Returns the authority (host name) carried by the client's PROXY protocol v2 header.
fc_pp_tlv: Returns the value of a TLV of the client's PROXY protocol v2 header. || id=TLV type as a number or a known name
fc_pp_unique_id: Returns the unique id carried by the client's PROXY protocol v2 header.
fc_rcvd_proxy: Returns true when the client connection started with a PROXY protocol header.
fc_reordering: Returns the kernel's packet reordering metric of the client connection (TCP_INFO). || unit=accepted like fc_rtt's, but the value is a count of packets either way
fc_retrans: Returns the kernel's count of retransmitted packets on the client connection (TCP_INFO). || unit=accepted like fc_rtt's, but the value is a count of packets either way
fc_rtt: Returns the kernel's smoothed round-trip time of the client connection. || unit=ms (default) or us
fc_rttvar: Returns the kernel's round-trip time variance of the client connection. || unit=ms (default) or us
fc_sacked: Returns the kernel's count of selectively acknowledged packets on the client connection (TCP_INFO). || unit=accepted like fc_rtt's, but the value is a count of packets either way
fc_saved_syn: Returns the SYN packet that opened the client connection (Ethernet, IP and TCP headers) when the bind line has \`tcp-ss\`; decode it with the eth.*, ip.* and tcp.* converters.
fc_settings_streams_limit: Returns the maximum number of concurrent streams HAProxy announced to the client on this connection.
fc_src: Returns the original source address of the client connection, ignoring a PROXY header.
fc_src_is_local: Returns true when the client connection comes from an address of this host.
fc_src_port: Returns the original source port of the client connection, ignoring a PROXY header.
fc_unacked: Returns the kernel's count of unacknowledged packets on the client connection (TCP_INFO). || unit=accepted like fc_rtt's, but the value is a count of packets either way
fcgi.docroot: Returns the document root of the FastCGI application the backend talks to.
fcgi.index: Returns the index file name of the FastCGI application the backend talks to.
fe_client_timeout: Returns the frontend's configured client timeout, in milliseconds.
fe_conn: Returns the number of connections currently open on a frontend. || frontend=frontend name (default: the current one)
fe_defbe: Returns the name of the frontend's default backend.
fe_id: Returns the numeric id of the frontend that accepted the connection.
fe_name: Returns the name of the frontend that accepted the connection.
fe_req_rate: Returns how many HTTP requests per second a frontend currently receives. || frontend=frontend name (default: the current one)
fe_sess_rate: Returns how many sessions per second a frontend currently accepts. || frontend=frontend name (default: the current one)
fe_tarpit_timeout: Returns the frontend's configured tarpit timeout, in milliseconds.
fs.aborted: Returns true when the client-side stream was aborted.
fs.debug_str: Returns a developer dump of the client-side stream's internal state. || bitmap=selects which parts to print
fs.id: Returns the id of the stream on the client connection (e.g. the HTTP/2 stream number).
fs.rst_code: Returns the reset or abort code the client-side stream ended with (e.g. an HTTP/2 RST_STREAM code).
hostname: Returns the host name of the machine HAProxy runs on.
http_auth: Returns true when the request's Basic credentials match a user of the userlist. || userlist=name of a userlist section
http_auth_bearer: Returns the token of a Bearer Authorization header. || header=header to read instead of Authorization
http_auth_group: Returns the userlist group the authenticated user belongs to, for matching against group names. || userlist=name of a userlist section
http_auth_pass: Returns the password sent in a Basic Authorization header, unchecked.
http_auth_type: Returns the scheme of the Authorization header (basic, digest, bearer).
http_auth_user: Returns the user name sent in a Basic Authorization header, unchecked.
http_first_req: Returns true for the first request of a client connection, false for later ones on the same connection.
int: Returns a constant integer. || integer=a signed 64-bit integer
ipv4: Returns a constant IPv4 address. || ipv4=dotted quad such as 10.0.0.1
ipv6: Returns a constant IPv6 address. || ipv6=address such as 2001:db8::1
last_entity: Returns the last rule or filter evaluated on the stream (file:line or name), for tracing where processing stopped.
last_rule_file: Returns the configuration file of the last rule evaluated on the stream.
last_rule_line: Returns the configuration line number of the last rule evaluated on the stream.
lat_ns_avg: Returns the average delay between a wake-up of the stream's task and its run, in nanoseconds.
lat_ns_tot: Returns the total scheduling latency of the stream's task, in nanoseconds.
meth: Returns a constant HTTP method, to compare with the request method. || method=a method name such as GET
method: Returns the HTTP method of the request (GET, POST, …).
nbproc: Returns the number of processes started (always 1 on current versions).
nbsrv: Returns the number of usable (up) servers of a backend. || backend=backend name (default: the current one)
path: Returns the path of the request URI, without host and query string.
pathq: Returns the path of the request URI followed by its query string, without scheme and host.
payload: Old name of \`req.payload\`/\`res.payload\`: bytes taken from the buffer of the current direction. || offset=where to start, in bytes; length=how many bytes (0: the rest of the buffer)
payload_lv: Old name of \`req.payload_lv\`/\`res.payload_lv\`: a length-prefixed block from the buffer of the current direction. || offset1=where the length field starts; length=size of the length field in bytes; offset2=where the data starts, relative to the end of the length field unless given
pid: Returns the process id of HAProxy.
prio_class: Returns the priority class the request has in the queue (\`http-request set-priority-class\`).
prio_offset: Returns the priority offset the request has in the queue (\`http-request set-priority-offset\`).
proc: Returns the number of the process running the stream (1 on current versions).
query: Returns the query string of the request URI, without the leading question mark. || options=with_qm to keep the question mark
queue: Returns how many requests wait in a backend's queue and its servers' queues. || backend=backend name (default: the current one)
quic_enabled: Returns true when QUIC support is built in and enabled.
rand: Returns a random integer, below the given range when one is set. || range=upper bound, excluded (default: the full 32-bit range)
rdp_cookie: Old name of \`req.rdp_cookie\`: a cookie from the start of an RDP connection. || name=cookie name, e.g. mstshash
rdp_cookie_cnt: Old name of \`req.rdp_cookie_cnt\`: how many RDP cookies the connection carries. || name=cookie name
rep_ssl_hello_type: Old name of \`res.ssl_hello_type\`: the TLS handshake message type found in the response buffer.
req.body: Returns the request body as buffered so far (\`option http-buffer-request\` waits for it).
req.body_len: Returns how many bytes of the request body are buffered.
req.body_param: Returns a parameter of a form-encoded request body. || name=parameter name (default: the first one); case=i to compare the name case-insensitively
req.body_size: Returns the announced size of the request body (Content-Length or the sum of chunks).
req.bytes_in: Returns how many bytes of the request were received from the client so far.
req.bytes_out: Returns how many bytes of the request were sent to the server so far.
req.cook_names: Returns the names of all request cookies joined by a delimiter. || delim=separator (default a comma)
req.hdrs: Returns the request headers as received, as one block of text ending with an empty line.
req.hdrs_bin: Returns the request headers in a compact binary form (length-prefixed names and values), for passing to agents.
req.len: Returns how many bytes are waiting in the request buffer; with \`tcp-request content\` it shows whether enough data arrived.
req.proto_http: Returns true when the request buffer holds a valid HTTP request.
req.rdp_cookie: Returns a cookie from the start of an RDP (Remote Desktop) connection, e.g. mstshash, for balancing by user. || name=cookie name (default: any)
req.rdp_cookie_cnt: Returns how many RDP cookies the start of the connection carries. || name=cookie name (default: any)
req.ssl_alpn: Returns the ALPN protocols the client offers in its TLS ClientHello, read from the buffer without decrypting.
req.ssl_cipherlist: Returns the cipher suites of the client's TLS ClientHello, read from the buffer, as binary.
req.ssl_ec_ext: Returns true when the client's TLS ClientHello carries the elliptic curves extension.
req.ssl_hello_type: Returns the type of the TLS handshake message in the request buffer (1 for a ClientHello).
req.ssl_keyshare_groups: Returns the key share groups of the client's TLS ClientHello, read from the buffer, as binary.
req.ssl_sigalgs: Returns the signature algorithms of the client's TLS ClientHello, read from the buffer, as binary.
req.ssl_sni: Returns the server name (SNI) of the client's TLS ClientHello, read from the buffer without decrypting: the way to route TLS passthrough in TCP mode.
req.ssl_st_ext: Returns 0 without a session ticket extension in the ClientHello, 1 with an empty one, 2 with a ticket.
req.ssl_supported_groups: Returns the supported groups of the client's TLS ClientHello, read from the buffer, as binary.
req.ssl_ver: Returns the SSL/TLS version the client announces in the buffer as major × 65536 + minor (TLS 1.2 is 3.3, i.e. 196611).
req.timer.hdr: Returns how long the request headers took to arrive, in milliseconds.
req.timer.idle: Returns how long the connection stayed idle before the request began, in milliseconds.
req.timer.queue: Returns how long the request waited in queues, in milliseconds.
req.timer.tq: Returns how long HAProxy took to receive the full request, idle time included, in milliseconds.
req.ver: Returns the HTTP version of the request (e.g. 1.1 or 2.0).
req_len: Old name of \`req.len\`: the number of bytes in the request buffer.
req_proto_http: Old name of \`req.proto_http\`: true when the buffer holds an HTTP request.
req_ssl_hello_type: Old name of \`req.ssl_hello_type\`: the TLS handshake message type in the request buffer.
req_ssl_sni: Old name of \`req.ssl_sni\`: the SNI of the TLS ClientHello in the buffer.
req_ssl_ver: Old name of \`req.ssl_ver\`: the TLS version announced in the buffer.
req_ver: Old name of \`req.ver\`: the HTTP version of the request.
request_date: Returns when the request started (its first byte arrived), as a Unix timestamp. || unit=s (default), ms or us
res.body: Returns the response body as buffered so far (\`http-response wait-for-body\` waits for it).
res.body_len: Returns how many bytes of the response body are buffered.
res.body_size: Returns the announced size of the response body.
res.bytes_in: Returns how many bytes of the response were received from the server so far.
res.bytes_out: Returns how many bytes of the response were sent to the client so far.
res.cache_hit: Returns true when the response came from the HAProxy cache.
res.cache_name: Returns the name of the cache that served the response.
res.comp: Returns true when HAProxy compresses the response.
res.comp_algo: Returns the compression algorithm HAProxy applies to the response.
res.cook_names: Returns the names of all cookies the response sets, joined by a delimiter. || delim=separator (default a comma)
res.hdrs: Returns the response headers as received, as one block of text.
res.hdrs_bin: Returns the response headers in a compact binary form (length-prefixed names and values).
res.len: Returns how many bytes are waiting in the response buffer.
res.ssl_hello_type: Returns the type of the TLS handshake message in the response buffer (2 for a ServerHello).
res.timer.data: Returns how long the response body took to transfer, in milliseconds.
res.timer.hdr: Returns how long the server took to send the response headers, in milliseconds.
res.ver: Returns the HTTP version of the response.
resp_ver: Old name of \`res.ver\`: the HTTP version of the response.
server_status: Returns the status code the server sent, even when HAProxy replaced the response.
so_id: Returns the numeric id of the listener (bind line) that accepted the connection.
so_name: Returns the name of the listener (bind line, \`name\` option) that accepted the connection.
spoe.engine-id: Returns the id of the SPOE engine that handles the stream.
src: Returns the client's address (the one a PROXY header or accepted proxy carried when present).
src_is_local: Returns true when the client address belongs to this host.
src_port: Returns the client's source port.
srv_conn: Returns the number of connections currently open to a server. || backend/server=server name, prefixed by its backend and a slash unless it is in the current one
srv_conn_free: Returns how many more connections a server accepts before its maxconn, its queue left out. || backend/server=server name, prefixed by its backend and a slash unless it is in the current one
srv_id: Returns the numeric id of the server that handles the stream.
srv_is_up: Returns true when a server is up (health checks passing or not checked). || backend/server=server name, prefixed by its backend and a slash unless it is in the current one
srv_iweight: Returns a server's initial weight from the configuration. || backend/server=server name, prefixed by its backend and a slash unless it is in the current one
srv_name: Returns the name of the server that handles the stream.
srv_queue: Returns how many requests wait in a server's queue. || backend/server=server name, prefixed by its backend and a slash unless it is in the current one
srv_sess_rate: Returns how many sessions per second a server currently receives. || backend/server=server name, prefixed by its backend and a slash unless it is in the current one
srv_uweight: Returns a server's user weight (as set by the configuration or the runtime API). || backend/server=server name, prefixed by its backend and a slash unless it is in the current one
srv_weight: Returns a server's effective weight (user weight scaled by slow start and agent checks). || backend/server=server name, prefixed by its backend and a slash unless it is in the current one
status: Returns the HTTP status code of the response.
stopping: Returns true while the process is stopping (soft stop or reload in progress).
str: Returns a constant string. || string=the text
term_events: Returns the termination events of the stream's endpoints, encoded, for analysing why a transfer ended.
table_avl: Returns how many more entries a stick table can store before it is full. || table=table name (default: the current proxy's)
table_cnt: Returns how many entries a stick table currently holds. || table=table name (default: the current proxy's)
tgroup: Returns the number of the thread group running the stream.
thread: Returns the number of the thread running the stream.
txn.conn_retries: Returns how many times the connection to a server was retried for this transaction.
txn.id32: Returns the transaction's internal id as a 32-bit integer; it wraps, so use \`unique-id\` for a unique one.
txn.redispatched: Returns true when the request was redispatched to another server after a failure.
txn.sess_term_state: Returns the two-letter termination state of the stream, as logged with %ts.
txn.status: Returns the status code logged for the transaction, including replies HAProxy generated itself.
txn.timer.total: Returns the total duration of the transaction, in milliseconds.
txn.timer.user: Returns the active time of the transaction (total minus idle time), in milliseconds.
unique-id: Returns the request's unique id built from \`unique-id-format\`.
uptime: Returns how many seconds ago the process started.
url: Returns the request URI as written on the request line (absolute form included).
url32: Returns a 32-bit hash of the Host header and the whole URI, query string included.
url32+src: Returns the \`url32\` hash followed by the client address as binary.
url_ip: Returns the IPv4 address written in an absolute request URI.
url_port: Returns the port written in an absolute request URI (80 when absent).
url_param: Returns a query string parameter of the request URI. || name=parameter name (default: the first one); delim=a character that opens the parameter list besides ?; case=i to compare the name case-insensitively
urlp: Short name of \`url_param\`: a query string parameter of the request URI. || name=parameter name (default: the first one); delim=a character that opens the parameter list besides ?; case=i to compare the name case-insensitively
urlp_val: Returns a query string parameter of the request URI converted to an integer. || name=parameter name (default: the first one); delim=a character that opens the parameter list besides ?; case=i to compare the name case-insensitively
uuid: Returns a freshly generated random UUID. || version=4 (random) or 7 (time-ordered)
var: Returns the value of a variable. || var-name=scope.name, e.g. txn.backend (scopes proc, sess, txn, req, res, check); default=value returned when the variable is not set
wait_end: Returns true only once the inspect delay has expired, and stops rule evaluation until then; put it last in a tcp-request content condition.
waiting_entity: Returns the rule or filter the stream was waiting on when an error or a timeout struck, for tracing stalls.
`;

export const CONVERTERS = `
51d.single: Runs 51Degrees device detection on the input (a User-Agent string) and returns the listed properties. || prop=a 51Degrees property name
add: Adds a value to the input integer. || value=integer or variable name
add_item: Appends an item (a variable's value and/or a constant) to the input string, with the delimiter in between only when the input was not empty: builds lists. || delim=separator; var=variable whose value is appended; suff=constant appended after it
aes_cbc_dec: Decrypts the input with AES in CBC mode. || bits=key size: 128, 192 or 256; nonce=base64 IV or a variable; key=base64 key or a variable; aad=additional authenticated data
aes_cbc_enc: Encrypts the input with AES in CBC mode. || bits=key size: 128, 192 or 256; nonce=base64 IV or a variable; key=base64 key or a variable; aad=additional authenticated data
aes_gcm_dec: Decrypts the input with AES-GCM and checks its authentication tag. || bits=key size: 128, 192 or 256; nonce=base64 nonce or a variable; key=base64 key or a variable; aead_tag=base64 tag or a variable; aad=additional authenticated data
aes_gcm_enc: Encrypts the input with AES-GCM; the tag goes into a variable. || bits=key size: 128, 192 or 256; nonce=base64 nonce or a variable; key=base64 key or a variable; aead_tag=variable that receives the tag; aad=additional authenticated data
and: Applies a bitwise AND of a value to the input integer. || value=integer or variable name
b64dec: Decodes base64 text into binary.
base2: Writes the input bytes as a string of 0 and 1 digits.
base64: Encodes the input bytes as base64 text.
be2dec: Reads the input as big-endian integers of a fixed width and writes them as decimal numbers joined by a separator. || separator=text between numbers; chunk_size=bytes per integer; truncate=drop a trailing partial chunk when 1
be2hex: Writes the input as hexadecimal in chunks joined by a separator. || separator=text between chunks; chunk_size=bytes per chunk; truncate=drop a trailing partial chunk when 1
bool: Turns the input integer into a boolean: 0 is false, anything else true.
bytes: Keeps a slice of the input bytes. || offset=first byte (from 0), integer or variable; length=number of bytes (default: to the end)
capture-req: Stores the input in a request capture slot declared with \`declare capture request\`, and passes it through. || id=capture slot number
capture-res: Stores the input in a response capture slot declared with \`declare capture response\`, and passes it through. || id=capture slot number
concat: Appends a constant, the value of a variable and another constant to the input string, each part optional. || start=constant appended right after the input; var=variable whose value comes next; end=constant appended last
cpl: Inverts every bit of the input integer.
crc32: Computes the CRC32 checksum of the input (as used by Ethernet and zlib). || avalanche=1 to mix the bits of the result further
crc32c: Computes the CRC32-C (Castagnoli) checksum of the input. || avalanche=1 to mix the bits of the result further
cut_crlf: Cuts the input string at the first carriage return or line feed.
da-csv-conv: Runs DeviceAtlas detection on the input User-Agent and returns the listed properties. || prop=a DeviceAtlas property name
date: Reads a date as HTTP headers write it (IMF-fixdate, RFC 850 or asctime form) and returns the Unix timestamp.
debug: Prints the input with its type to a ring buffer or the console for troubleshooting, and passes it through. || prefix=tag printed before the value; destination=ring buffer name (default: buf0)
digest: Computes a message digest of the input with an OpenSSL algorithm (sha256, md5, …). || algorithm=digest name
div: Divides the input integer by a value (integer division). || value=integer or variable name
djb2: Computes the DJB2 hash of the input. || avalanche=1 to mix the bits of the result further
eth.data: Returns what follows the Ethernet header of a saved SYN (\`fc_saved_syn\`).
eth.dst: Returns the destination MAC address of a saved SYN's Ethernet header.
eth.hdr: Returns the Ethernet header of a saved SYN.
eth.proto: Returns the EtherType (e.g. 0x0800 for IPv4) of a saved SYN's Ethernet header.
eth.src: Returns the source MAC address of a saved SYN's Ethernet header.
eth.vlan: Returns the VLAN id of a saved SYN's Ethernet header, when tagged.
even: Returns true when the input integer is even.
fe_exists: Returns true when a frontend with the input's name exists.
field: Splits the input at any of the delimiters and returns the chosen fields. || index=field number from 1, negative counts from the end; delimiters=set of delimiter characters; count=how many fields to return, joined with their delimiters
fix_is_valid: Returns true when the input is a well-formed FIX (financial trading protocol) message.
fix_tag_value: Returns the value of a tag of the input FIX message. || tag=tag number or name
has_ctl: Returns true when the input holds control characters, e.g. to refuse header values with raw line breaks. || mask=bit set of the characters 0x00–0x1F (bit 32: DEL) to look for, by default all of them but TAB
hex: Writes the input bytes as uppercase hexadecimal text.
hex2i: Reads the input hexadecimal text as a signed integer.
hmac: Computes an HMAC of the input with a hash algorithm and a base64 key. || algorithm=digest name (sha256, …); key=base64 key or a variable
host_only: Removes a port from the input host string (example.com:8080 → example.com).
htonl: Converts the input integer to its 4-byte network order binary form.
http_date: Formats a Unix timestamp as an HTTP date (e.g. for Expires headers). || offset=seconds added first; unit=unit of the input: s (default), ms or us
iif: Returns one of two strings depending on the input boolean. || true=string when true; false=string when false
in_table: Returns true when the input is a key of the stick table. || table=table name (default: the current proxy's)
ip.data: Returns what follows the IP header of a saved SYN.
ip.df: Returns 1 when the Don't Fragment bit is set in a saved SYN's IP header.
ip.dst: Returns the destination address of a saved SYN's IP header.
ip.fp: Builds a fingerprint of the client's operating system from a saved SYN's IP and TCP headers. || mode=bit field selecting which header parts to include
ip.hdr: Returns the IP header of a saved SYN.
ip.proto: Returns the protocol number (6 for TCP) of a saved SYN's IP header.
ip.src: Returns the source address of a saved SYN's IP header.
ip.tos: Returns the TOS / traffic class byte of a saved SYN's IP header.
ip.ttl: Returns the TTL / hop limit of a saved SYN's IP header.
ip.ver: Returns the IP version (4 or 6) of a saved SYN.
ipmask: Masks the input address to its network part. || mask4=IPv4 mask as a prefix length or dotted quad; mask6=IPv6 prefix length (IPv6 input is left alone without it)
json: Escapes the input string so it can be embedded in JSON. || input-code=ascii, utf8, utf8s, utf8p or utf8ps: how invalid UTF-8 is handled
json_query: Reads a value at a JSON path of the input JSON text. || json_path=path such as $.user.id; output_type=int or bool to convert the result
jwt_decrypt_cert: Decrypts an encrypted JWT (JWE) input with the private key of a loaded certificate. || cert=certificate path or a variable
jwt_decrypt_jwk: Decrypts an encrypted JWT (JWE) input with a key given as a JWK. || jwk=JWK text or a variable
jwt_decrypt_secret: Decrypts an encrypted JWT (JWE) input with a shared secret. || secret=base64 secret or a variable
jwt_header_query: Reads a field of the header of the input JWT. || json_path=path such as $.alg (default: the whole header); output_type=int or bool to convert the result
jwt_payload_query: Reads a claim of the payload of the input JWT. || json_path=path such as $.sub (default: the whole payload); output_type=int or bool to convert the result
jwt_verify: Checks the signature of the input JWT and returns 1 when valid, else a negative error code. || alg=expected algorithm such as RS256; key=certificate or public key path, or the HMAC secret
jwt_verify_cert: Checks the signature of the input JWT against a loaded certificate. || alg=expected algorithm; cert=certificate name or a variable
language: Picks the best language from an Accept-Language header given a list of supported ones. || value=semicolon-separated list of supported languages; default=language returned when none matches
le2dec: Reads the input as little-endian integers of a fixed width and writes them as decimal numbers joined by a separator. || separator=text between numbers; chunk_size=bytes per integer; truncate=drop a trailing partial chunk when 1
length: Returns the length of the input string in bytes.
lower: Turns the input string to lower case.
ltime: Formats a Unix timestamp in local time with a strftime format. || format=strftime format such as %Y-%m-%d; offset=seconds added first
ltrim: Removes the given characters from the start of the input string. || chars=set of characters to strip
map: Looks the input up as an exact string key in a map file and returns the associated value as a string. || map_name=map file path (or a name from a maps section); default_value=value returned when no key matches
map_match: Looks the input up in a map with the match method given as argument and returns the value. || map_name=map file path; default_value=value returned when no key matches
map_match_output: Looks the input up in a map with the given match method and returns the value converted to the given output type. || map_name=map file path; default_value=value returned when no key matches
mod: Returns the remainder of dividing the input integer by a value. || value=integer or variable name
mqtt_field_value: Returns a field or property of an MQTT packet of the input. || packettype=MQTT packet type (connect, …); fieldname_or_property_ID=field name or property id
mqtt_is_valid: Returns true when the input holds a valid MQTT packet.
ms_ltime: Formats a timestamp in milliseconds in local time with a strftime format (%N for the fractional part). || format=strftime format; offset=milliseconds added first
ms_utime: Formats a timestamp in milliseconds in UTC with a strftime format. || format=strftime format; offset=milliseconds added first
mul: Multiplies the input integer by a value. || value=integer or variable name
nbsrv: Returns how many usable servers the backend named by the input has.
neg: Negates the input integer.
not: Returns true for an input of 0, false otherwise.
odd: Returns true when the input integer is odd.
or: Applies a bitwise OR of a value to the input integer. || value=integer or variable name
param: Returns a parameter of the input string when read as name=value pairs. || name=parameter name; delim=separator between pairs (default &)
port_only: Keeps only the port of the input host string (the scheme default when there is none).
protobuf: Returns a field of the input protocol buffers message. || field_number=dotted field path such as 1.2; field_type=protobuf type of the field
regsub: Replaces what a regular expression matches in the input. || regex=regular expression; subst=replacement, \\1… for groups; flags=i to ignore case, g to replace every match
reverse: Reverses the order of the input bytes.
reverse_dom: Reverses the order of the labels of the input domain name (www.example.com → com.example.www).
rfc7239_field: Returns one field (for, by, host, proto) of the input Forwarded header. || field=field name
rfc7239_is_valid: Returns true when the input is a valid Forwarded header value (RFC 7239).
rfc7239_n2nn: Extracts the address part of a Forwarded header node (an address or an obfuscated name).
rfc7239_n2np: Extracts the port part of a Forwarded header node.
rfc7239_nn: Old name of \`rfc7239_n2nn\`.
rfc7239_np: Old name of \`rfc7239_n2np\`.
rtrim: Removes the given characters from the end of the input string. || chars=set of characters to strip
sdbm: Computes the SDBM hash of the input. || avalanche=1 to mix the bits of the result further
secure_memcmp: Compares the input with a variable in constant time (no timing leak) and returns true when equal. || var=variable name
set-var: Stores the input in a variable and passes it through unchanged. || var=scope.name; cond=conditions on the variable (ifexists, ifempty, ifgt, …)
sha1: Computes the SHA-1 digest of the input.
sha2: Computes a SHA-2 digest of the input. || bits=224, 256 (default), 384 or 512
srv_is_up: Returns true when the server given as backend/server in the input is up.
srv_queue: Returns how many requests wait in the queue of the server given as backend/server in the input.
strcmp: Compares the input string with a variable: 0 when equal, negative or positive like strcmp(). || var=variable name
sub: Subtracts a value from the input integer. || value=integer or variable name
tcp.dst: Returns the destination port of a saved SYN's TCP header.
tcp.flags: Returns the flags byte of a saved SYN's TCP header.
tcp.options.mss: Returns the MSS option of a saved SYN's TCP header.
tcp.options.sack: Returns whether a saved SYN offers selective acknowledgement.
tcp.options.tsopt: Returns whether a saved SYN carries the timestamp option.
tcp.options.tsval: Returns the timestamp value of a saved SYN's TCP header.
tcp.options.wscale: Returns the window scale of a saved SYN's TCP header.
tcp.options.wsopt: Returns whether a saved SYN carries the window scale option.
tcp.options_list: Returns the kinds of the TCP options of a saved SYN, in order.
tcp.seq: Returns the sequence number of a saved SYN.
tcp.src: Returns the source port of a saved SYN's TCP header.
tcp.win: Returns the window size of a saved SYN's TCP header.
ub64dec: Decodes base64url text (URL-safe alphabet, no padding), e.g. a JWT part.
ub64enc: Encodes the input as base64url text (URL-safe alphabet, no padding).
ungrpc: Returns a field of the input gRPC message (protocol buffers inside gRPC framing). || field_number=dotted field path such as 1.2; field_type=protobuf type of the field
unset-var: Removes a variable and passes the input through unchanged. || var=scope.name
upper: Turns the input string to upper case.
url_dec: Decodes %xx escapes of the input URL text. || in_form=1 to also turn + into a space (form encoding)
url_enc: Escapes the input for use in a URL. || enc_type=query (the only kind so far)
us_ltime: Formats a timestamp in microseconds in local time with a strftime format (%N for the fractional part). || format=strftime format; offset=microseconds added first
us_utime: Formats a timestamp in microseconds in UTC with a strftime format. || format=strftime format; offset=microseconds added first
utime: Formats a Unix timestamp in UTC with a strftime format. || format=strftime format such as %Y-%m-%dT%H:%M:%S; offset=seconds added first
when: Passes the input through only when a condition holds (an error happened, the stream is stopping, an ACL matches, …), else yields nothing; pairs well with \`debug\`. || condition=normal, error, stopping, acl, … (! negates); args=the ACL name for acl
word: Splits the input at any of the delimiters and returns the chosen words, empty words skipped. || index=word number from 1, negative counts from the end; delimiters=set of delimiter characters; count=how many words to return
wt6: Computes the WT6 hash of the input. || avalanche=1 to mix the bits of the result further
x509_v_err_str: Turns an X.509 verification error number (as returned by ssl_c_err) into its name.
xor: Applies a bitwise XOR of a value to the input integer. || value=integer or variable name
xxh3: Computes the 64-bit XXH3 hash of the input. || seed=integer seed (default 0)
xxh32: Computes the 32-bit xxHash of the input. || seed=integer seed (default 0)
xxh64: Computes the 64-bit xxHash of the input. || seed=integer seed (default 0)
`;

/** Predefined ACLs (upper-case names usable in any condition without an `acl` line). */
export const PREDEFINED = `
FALSE: Never true; same as \`always_false\`. Handy to switch a rule off for a while.
HTTP: True when the request buffer holds valid HTTP (\`req.proto_http\`); for TCP-mode frontends that sniff the protocol.
HTTP_1.0: True for HTTP/1.0 requests (\`req.ver 1.0\`).
HTTP_1.1: True for HTTP/1.1 requests (\`req.ver 1.1\`).
HTTP_2.0: True for HTTP/2 requests (\`req.ver 2.0\`).
HTTP_3.0: True for HTTP/3 requests (\`req.ver 3.0\`).
HTTP_CONTENT: True when the request announces a body (\`req.hdr_val(content-length) gt 0\`).
HTTP_URL_ABS: True when the request URI is absolute, with a scheme (\`url_reg ^[^/:]*://\`).
HTTP_URL_SLASH: True when the request URI starts with a slash (\`url_beg /\`), the usual origin form.
HTTP_URL_STAR: True when the request URI is \`*\` (\`url *\`), as in OPTIONS * requests.
LOCALHOST: True for clients on this machine (\`src 127.0.0.1/8 ::1\`).
METH_CONNECT: True for CONNECT requests (\`method CONNECT\`).
METH_DELETE: True for DELETE requests (\`method DELETE\`).
METH_GET: True for GET and HEAD requests (\`method GET HEAD\`).
METH_HEAD: True for HEAD requests (\`method HEAD\`).
METH_OPTIONS: True for OPTIONS requests (\`method OPTIONS\`).
METH_POST: True for POST requests (\`method POST\`).
METH_PUT: True for PUT requests (\`method PUT\`).
METH_TRACE: True for TRACE requests (\`method TRACE\`).
RDP_COOKIE: True when the start of the connection carries at least one RDP cookie (\`req.rdp_cookie_cnt\` above 0).
REQ_CONTENT: True once some data waits in the request buffer (\`req.len gt 0\`).
TRUE: Always true; same as \`always_true\`.
WAIT_END: True once the inspect delay has expired (\`wait_end\`); holds a tcp-request content rule until then.
`;
