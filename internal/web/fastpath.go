package web

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/net/http/httpguts"
)

// FastPage is a rendered page held in memory, which the fast path can
// send as it is.
type FastPage struct {
	ContentType  string
	ETag         string
	CacheControl string // "no-cache" when empty
	Route        string // the route pattern that rendered it, for metrics
	Body         *Compressed
	Plain        bool // always sent uncompressed (images)
}

// FastPages finds cached pages by what a request names: its Host header,
// its request target (path and query, as sent) and its Cookie header
// lines. It answers only for pages the full handler stack has rendered
// and cached for that same host and target, so the fast path can never
// answer a request that net/http would route or refuse differently.
type FastPages interface {
	CachedPage(host, target string, cookies []string) (FastPage, bool)
}

// FastPath answers the requests that dominate a rush, GET and HEAD of a
// cached page on a plain HTTP/1.1 connection, without net/http: one
// writev per answer, where net/http makes two writes for a page larger
// than its 4 KB buffer, parses every header into a map and allocates a
// request. Every other request, and the rest of its connection, is
// handed to net/http unchanged. The answer carries what the handler
// stack's would (security headers, request ID, ETag, 304, brotli and
// gzip); each request is logged and counted as Observe does.
type FastPath struct {
	Pages   FastPages
	Log     *slog.Logger
	Metrics *Metrics
	HSTS    bool // send Strict-Transport-Security, as SecurityHeaders does

	IdleTimeout   time.Duration // wait for the next request on a connection
	HeaderTimeout time.Duration // read a request's header once it has begun
	WriteTimeout  time.Duration // write an answer
}

// Listen wraps ln. The listener's Accept returns the connections that
// net/http should serve: new ones are first read by the fast path, and
// arrive at Accept with the request it could not answer still unread.
func (f *FastPath) Listen(ln net.Listener) net.Listener {
	l := &fastListener{Listener: ln, f: f, handoff: make(chan net.Conn), done: make(chan struct{}), conns: map[*fastConn]struct{}{}}
	l.head = securityHeaderLines(f.HSTS)
	go l.accept()
	return l
}

type fastListener struct {
	net.Listener
	f       *FastPath
	head    []byte // header lines every answer carries
	handoff chan net.Conn
	done    chan struct{}

	closeOnce sync.Once
	mu        sync.Mutex
	conns     map[*fastConn]struct{} // guarded by mu
	err       error                  // why accepting stopped; guarded by mu
}

// fastConn states: a connection waiting for a request may be closed by
// Close; one answering finishes its answer first.
const (
	connIdle int32 = iota
	connActive
	connClosed
)

type fastConn struct {
	net.Conn
	state atomic.Int32
}

func (l *fastListener) accept() {
	var backoff time.Duration
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			select {
			case <-l.done:
				return
			default:
			}
			var ne net.Error
			if errors.As(err, &ne) && !errors.Is(err, net.ErrClosed) {
				// Out of file descriptors and the like: wait, as net/http does.
				backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
				l.f.Log.LogAttrs(context.Background(), slog.LevelWarn, "accept", slog.Any("err", err), slog.Duration("retry_in", backoff))
				time.Sleep(backoff)
				continue
			}
			l.mu.Lock()
			l.err = err
			l.mu.Unlock()
			l.Close()
			return
		}
		backoff = 0
		go l.serve(c)
	}
}

// Accept returns the next connection for net/http.
func (l *fastListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.handoff:
		return c, nil
	case <-l.done:
		l.mu.Lock()
		defer l.mu.Unlock()
		if l.err != nil {
			return nil, l.err
		}
		return nil, net.ErrClosed
	}
}

// Close stops accepting and closes the connections that wait for a
// request in the fast path; one being answered closes after its answer.
// net/http's Shutdown calls it, then waits for its own connections.
func (l *fastListener) Close() error {
	var err error
	l.closeOnce.Do(func() {
		close(l.done)
		err = l.Listener.Close()
		l.mu.Lock()
		for c := range l.conns {
			if c.state.CompareAndSwap(connIdle, connClosed) {
				c.Close()
			}
		}
		l.mu.Unlock()
	})
	return err
}

func (l *fastListener) closing() bool {
	select {
	case <-l.done:
		return true
	default:
		return false
	}
}

func (l *fastListener) track(c *fastConn, on bool) {
	l.mu.Lock()
	if on {
		l.conns[c] = struct{}{}
	} else {
		delete(l.conns, c)
	}
	l.mu.Unlock()
}

var readers = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, fastHeadMax) }}

// fastHeadMax is the largest request header the fast path reads; a
// larger one (long cookies) goes to net/http.
const fastHeadMax = 8 << 10

// serve answers requests on c until one is not a cached page, then hands
// c to net/http.
func (l *fastListener) serve(nc net.Conn) {
	c := &fastConn{Conn: nc}
	defer func() {
		// As Recover does for handlers: a bug costs one connection, not
		// the process.
		if v := recover(); v != nil {
			l.f.Log.LogAttrs(context.Background(), slog.LevelError, "panic", slog.String("err", fmt.Sprint(v)), slog.String("stack", string(debug.Stack())))
			l.track(c, false)
			nc.Close()
		}
	}()
	l.track(c, true)
	if l.closing() { // Close may have run before track
		l.track(c, false)
		nc.Close()
		return
	}
	br := readers.Get().(*bufio.Reader)
	br.Reset(nc)
	var out []byte
	more := func() { nc.SetReadDeadline(after(l.f.HeaderTimeout)) }
	for {
		nc.SetReadDeadline(after(l.f.IdleTimeout))
		if _, err := br.Peek(1); err != nil {
			l.finish(c, br)
			return
		}
		if !c.state.CompareAndSwap(connIdle, connActive) {
			l.finish(c, br)
			return
		}
		req, ok, err := readHead(br, more)
		if err != nil { // the header did not arrive in time, or the client left
			l.finish(c, br)
			return
		}
		var page FastPage
		if ok {
			page, ok = l.f.Pages.CachedPage(req.host, req.target, req.cookies)
		}
		if !ok {
			l.handOff(c, br)
			return
		}
		start := time.Now()
		br.Discard(req.size)
		var status int
		var body []byte
		id := rand.Uint64()
		out, status, body = l.answer(out[:0], req, page, id)
		nc.SetWriteDeadline(after(l.f.WriteTimeout))
		if len(body) > 0 {
			bufs := net.Buffers{out, body}
			_, err = bufs.WriteTo(nc)
		} else {
			_, err = nc.Write(out)
		}
		l.observe(req, page, id, status, len(body), time.Since(start))
		if err != nil || req.close || !c.state.CompareAndSwap(connActive, connIdle) || l.closing() {
			l.finish(c, br)
			return
		}
	}
}

// after is the deadline d from now; no deadline when d is 0.
func after(d time.Duration) time.Time {
	if d <= 0 {
		return time.Time{}
	}
	return time.Now().Add(d)
}

func (l *fastListener) finish(c *fastConn, br *bufio.Reader) {
	l.track(c, false)
	c.Close()
	br.Reset(nil)
	readers.Put(br)
}

// handOff gives c to net/http, with what the fast path read but did not
// answer in front of the rest of the stream.
func (l *fastListener) handOff(c *fastConn, br *bufio.Reader) {
	l.track(c, false)
	c.SetDeadline(time.Time{})
	var rest []byte
	if n := br.Buffered(); n > 0 {
		b, _ := br.Peek(n)
		rest = bytes.Clone(b)
	}
	br.Reset(nil)
	readers.Put(br)
	select {
	case l.handoff <- &handedConn{Conn: c.Conn, rest: rest}:
	case <-l.done:
		c.Close()
	}
}

// handedConn is a connection net/http serves from the first byte the
// fast path did not consume.
type handedConn struct {
	net.Conn
	rest []byte
}

func (c *handedConn) Read(p []byte) (int, error) {
	if len(c.rest) > 0 {
		n := copy(p, c.rest)
		c.rest = c.rest[n:]
		return n, nil
	}
	return c.Conn.Read(p)
}

// CloseWrite and ReadFrom pass on what net/http looks for on a TCP
// connection: it half-closes before closing after an error, so the client
// reads the error page rather than a reset, and it sends files with
// sendfile.
func (c *handedConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

func (c *handedConn) ReadFrom(r io.Reader) (int64, error) {
	if rf, ok := c.Conn.(io.ReaderFrom); ok {
		return rf.ReadFrom(r)
	}
	return io.Copy(struct{ io.Writer }{c.Conn}, r)
}

// fastRequest is what the fast path reads of a request.
type fastRequest struct {
	size          int // bytes of the request line and header
	head          bool
	host, target  string
	cookies       []string
	accept, match string // Accept-Encoding and If-None-Match, first line of each
	close         bool
}

// readHead reads a request's line and header without consuming them.
// It reports false for anything but a plain GET or HEAD with no body:
// other methods, HTTP/1.0, absolute targets, bodies, upgrades, folded or
// malformed lines, bare LF line ends, duplicate Host lines, a header over
// fastHeadMax. net/http then reads the same bytes and decides. more is
// called before reading further from the connection; a read error is
// returned as it is.
func readHead(br *bufio.Reader, more func()) (req fastRequest, ok bool, err error) {
	var buf []byte
	for {
		n := br.Buffered()
		buf, _ = br.Peek(n)
		if i := bytes.Index(buf, []byte("\r\n\r\n")); i >= 0 {
			buf = buf[:i+4]
			break
		}
		if bytes.Contains(buf, []byte("\n\n")) || bytes.Contains(buf, []byte("\n\r\n")) || n >= fastHeadMax {
			return req, false, nil
		}
		more()
		if _, err := br.Peek(n + 1); err != nil {
			return req, false, err
		}
	}
	req.size = len(buf)
	lines := string(buf[:len(buf)-4]) // one copy: the strings below share it
	line, rest, _ := strings.Cut(lines, "\r\n")
	method, line, _ := strings.Cut(line, " ")
	target, proto, _ := strings.Cut(line, " ")
	switch {
	case method == http.MethodHead:
		req.head = true
	case method != http.MethodGet:
		return req, false, nil
	}
	if proto != "HTTP/1.1" || len(target) == 0 || target[0] != '/' || strings.HasPrefix(target, "//") || !validTarget(target) {
		return req, false, nil
	}
	req.target = target
	hosts := 0
	for rest != "" {
		line, rest, _ = strings.Cut(rest, "\r\n")
		name, value, found := strings.Cut(line, ":")
		if !found || !httpguts.ValidHeaderFieldName(name) {
			return req, false, nil // also a folded line, which starts with a space
		}
		value = strings.Trim(value, " \t")
		if !httpguts.ValidHeaderFieldValue(value) {
			return req, false, nil
		}
		switch {
		case strings.EqualFold(name, "Host"):
			hosts++
			req.host = value
		case strings.EqualFold(name, "Cookie"):
			req.cookies = append(req.cookies, value)
		case strings.EqualFold(name, "Accept-Encoding"):
			if req.accept == "" {
				req.accept = value
			}
		case strings.EqualFold(name, "If-None-Match"):
			if req.match == "" {
				req.match = value
			}
		case strings.EqualFold(name, "Connection"):
			for tok := range strings.SplitSeq(value, ",") {
				switch tok = strings.TrimSpace(tok); {
				case strings.EqualFold(tok, "close"):
					req.close = true
				case strings.EqualFold(tok, "upgrade"):
					return req, false, nil
				}
			}
		case strings.EqualFold(name, "Content-Length"), strings.EqualFold(name, "Transfer-Encoding"),
			strings.EqualFold(name, "Expect"), strings.EqualFold(name, "Upgrade"), strings.EqualFold(name, "Trailer"):
			return req, false, nil
		}
	}
	if hosts != 1 || !httpguts.ValidHostHeader(req.host) {
		return req, false, nil
	}
	return req, true, nil
}

// validTarget allows the visible ASCII characters of a request target.
func validTarget(t string) bool {
	for i := 0; i < len(t); i++ {
		if t[i] <= ' ' || t[i] >= 0x7f || t[i] == '#' {
			return false
		}
	}
	return true
}

// answer appends the status line and header of the answer to out, as
// writeCached in package site and the middleware write them, and returns
// the body to send after them.
func (l *fastListener) answer(out []byte, req fastRequest, page FastPage, id uint64) (_ []byte, status int, body []byte) {
	status = http.StatusOK
	if req.match != "" && strings.Contains(req.match, page.ETag) {
		status = http.StatusNotModified
	}
	if status == http.StatusOK {
		out = append(out, "HTTP/1.1 200 OK\r\n"...)
	} else {
		out = append(out, "HTTP/1.1 304 Not Modified\r\n"...)
	}
	out = append(out, l.head...)
	out = append(out, "X-Request-Id: "...)
	out = appendRequestID(out, id)
	out = append(out, "\r\nDate: "...)
	out = appendDate(out)
	out = append(out, "\r\nEtag: "...)
	out = append(out, page.ETag...)
	out = append(out, "\r\nCache-Control: "...)
	if page.CacheControl == "" {
		out = append(out, "no-cache"...)
	} else {
		out = append(out, page.CacheControl...)
	}
	out = append(out, "\r\nVary: Accept-Encoding\r\n"...)
	if status == http.StatusOK {
		b, enc := page.Body.Body(), ""
		if !page.Plain {
			b, enc = page.Body.For(req.accept)
		}
		out = append(out, "Content-Type: "...)
		out = append(out, page.ContentType...)
		if enc != "" {
			out = append(out, "\r\nContent-Encoding: "...)
			out = append(out, enc...)
		}
		out = append(out, "\r\nContent-Length: "...)
		out = strconv.AppendInt(out, int64(len(b)), 10)
		out = append(out, "\r\n"...)
		if !req.head {
			body = b
		}
	}
	if req.close {
		out = append(out, "Connection: close\r\n"...)
	}
	return append(out, "\r\n"...), status, body
}

func (l *fastListener) observe(req fastRequest, page FastPage, id uint64, status, size int, d time.Duration) {
	method := http.MethodGet
	if req.head {
		method = http.MethodHead
	}
	if l.f.Metrics != nil {
		l.f.Metrics.observe(page.Route, method, status, d)
		l.f.Metrics.fast.Inc()
	}
	if ctx := context.Background(); l.f.Log.Enabled(ctx, slog.LevelInfo) {
		// Logged decoded, as Observe logs r.URL.Path.
		path, _, _ := strings.Cut(req.target, "?")
		if strings.IndexByte(path, '%') >= 0 {
			if p, err := url.PathUnescape(path); err == nil {
				path = p
			}
		}
		logRequest(ctx, l.f.Log, string(appendRequestID(nil, id)), method, path, status, size, d, slog.Bool("fast", true))
	}
}

// securityHeaderLines is what SecurityHeaders sets, as header lines.
func securityHeaderLines(hsts bool) []byte {
	var b []byte
	for _, h := range securityHeaders(hsts) {
		b = append(b, h[0]+": "+h[1]+"\r\n"...)
	}
	return b
}

// dates keeps the Date header's text for the current second.
var dates atomic.Pointer[dateText]

type dateText struct {
	sec  int64
	text []byte
}

func appendDate(b []byte) []byte {
	now := time.Now()
	d := dates.Load()
	if d == nil || d.sec != now.Unix() {
		d = &dateText{sec: now.Unix(), text: now.UTC().AppendFormat(nil, http.TimeFormat)}
		dates.Store(d)
	}
	return append(b, d.text...)
}
