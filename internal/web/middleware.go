package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"
)

// Middleware wraps a handler.
type Middleware func(http.Handler) http.Handler

// Chain applies mws so that the first is outermost.
func Chain(h http.Handler, mws ...Middleware) http.Handler {
	for i := len(mws) - 1; i >= 0; i-- {
		h = mws[i](h)
	}
	return h
}

// statusWriter records the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	size   int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.size += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Observe assigns a request ID, logs each request and records metrics. It
// is the outermost middleware.
func Observe(log *slog.Logger, m *Metrics) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			id := newRequestID()
			ctx := context.WithValue(r.Context(), keyRequestID, id)
			r = r.WithContext(ctx)
			w.Header().Set("X-Request-ID", id)
			sw := &statusWriter{ResponseWriter: w}
			next.ServeHTTP(sw, r)
			if sw.status == 0 {
				sw.status = http.StatusOK
			}
			d := time.Since(start)
			route := r.Pattern
			if route == "" {
				route = "other"
			}
			if m != nil {
				m.observe(route, r.Method, sw.status, d)
			}
			logRequest(ctx, log, id, r.Method, r.URL.Path, sw.status, sw.size, d)
		})
	}
}

// logRequest writes the line each request leaves in the log, for Observe
// and the fast path alike. The query string may hold search terms or
// codes: the path only is logged.
func logRequest(ctx context.Context, log *slog.Logger, id, method, path string, status, size int, d time.Duration, extra ...slog.Attr) {
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelError
	}
	if !log.Enabled(ctx, level) {
		return
	}
	attrs := append([]slog.Attr{slog.String("request_id", id), slog.String("method", method), slog.String("path", path),
		slog.Int("status", status), slog.Int("size", size), slog.Duration("duration", d)}, extra...)
	log.LogAttrs(ctx, level, "request", attrs...)
}

// Recover turns a panic into a logged 500 page, the last resort against a
// bug; it never hides the stack from the log.
func Recover(log *slog.Logger, errorPage func(w http.ResponseWriter, r *http.Request, status int, msg string)) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() {
				if v := recover(); v != nil {
					if v == http.ErrAbortHandler {
						panic(v)
					}
					log.LogAttrs(r.Context(), slog.LevelError, "panic",
						slog.String("request_id", RequestID(r)), slog.String("err", fmt.Sprint(v)), slog.String("stack", string(debug.Stack())))
					_, msg := Status(fmt.Errorf("panic"))
					errorPage(w, r, http.StatusInternalServerError, msg)
				}
			}()
			next.ServeHTTP(w, r)
		})
	}
}

// ContentSecurityPolicy allows only the site's own scripts and styles: no
// inline script anywhere.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
	"connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders are the headers every response carries; hsts adds
// Strict-Transport-Security, for sites served over TLS.
func securityHeaders(hsts bool) [][2]string {
	h := [][2]string{
		{"Content-Security-Policy", ContentSecurityPolicy},
		{"X-Content-Type-Options", "nosniff"},
		{"X-Frame-Options", "DENY"},
		{"Referrer-Policy", "strict-origin-when-cross-origin"},
		{"Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"},
		{"Cross-Origin-Opener-Policy", "same-origin"},
	}
	if hsts {
		h = append(h, [2]string{"Strict-Transport-Security", "max-age=31536000"})
	}
	return h
}

// SecurityHeaders sets the headers every response carries. hsts adds
// Strict-Transport-Security, for sites served over TLS.
func SecurityHeaders(hsts bool) Middleware {
	plain, tls := securityHeaders(false), securityHeaders(true)
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hs := plain
			if hsts || r.TLS != nil {
				hs = tls
			}
			h := w.Header()
			for _, kv := range hs {
				h.Set(kv[0], kv[1])
			}
			next.ServeHTTP(w, r)
		})
	}
}

// LimitBody caps request bodies at n bytes.
func LimitBody(n int64) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Body != nil {
				r.Body = http.MaxBytesReader(w, r.Body, n)
			}
			next.ServeHTTP(w, r)
		})
	}
}

// CrossOrigin rejects cross-site state-changing requests (Go's
// CrossOriginProtection, which checks Sec-Fetch-Site and Origin), answering
// with a plain Chinese 403.
func CrossOrigin(errorPage func(w http.ResponseWriter, r *http.Request, status int, msg string)) Middleware {
	p := http.NewCrossOriginProtection()
	p.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		errorPage(w, r, http.StatusForbidden, "请求来源不被允许：请从本站页面提交表单。")
	}))
	return p.Handler
}

// NoStore marks responses as private and uncacheable (staff pages).
func NoStore(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// SafeLocalPath reports whether p is a path on this site, safe to redirect
// to after sign-in: no scheme, no protocol-relative //host.
func SafeLocalPath(p string) bool {
	return strings.HasPrefix(p, "/") && !strings.HasPrefix(p, "//") && !strings.HasPrefix(p, "/\\") && !strings.ContainsAny(p, "\r\n")
}
