// Package web is the HTTP plumbing shared by the staff UI (admin) and the
// public site (site): middleware, rendering, error pages, flash messages,
// static assets, rate limits and metrics. It knows no business rules.
package web

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"gongkai/internal/apperr"
)

// China has no daylight saving time; a fixed zone needs no tz database.
var chinaTime = time.FixedZone("CST", 8*3600)

// ChinaTime returns t in China Standard Time.
func ChinaTime(t time.Time) time.Time { return t.In(chinaTime) }

type ctxKey int

const (
	keyRequestID ctxKey = iota
	keyClientIP
)

// RequestID returns the request's ID, set by the RequestID middleware.
func RequestID(r *http.Request) string {
	id, _ := r.Context().Value(keyRequestID).(string)
	return id
}

// ClientIP returns the client's address: the one the server saw, or,
// behind proxies named with TrustProxies (--trusted-proxies), the one they
// forwarded.
func ClientIP(r *http.Request) string {
	if ip, ok := r.Context().Value(keyClientIP).(string); ok {
		return ip
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// newRequestID names a request for the log and the reader's error page.
// It is a label, not a secret: the runtime's per-thread generator makes it
// without the system call crypto/rand costs on every request.
func newRequestID() string {
	return string(appendRequestID(nil, rand.Uint64()))
}

func appendRequestID(b []byte, id uint64) []byte {
	var x [8]byte
	binary.BigEndian.PutUint64(x[:], id)
	return hex.AppendEncode(b, x[:])
}

// PathID parses the path value name as a positive integer; anything else
// wraps apperr.ErrNotFound, since no such thing can exist.
func PathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.ErrNotFound
	}
	return id, nil
}

// FormID parses a form value as an ID; empty or invalid gives 0.
func FormID(r *http.Request, name string) int64 {
	id, err := strconv.ParseInt(strings.TrimSpace(r.FormValue(name)), 10, 64)
	if err != nil || id < 0 {
		return 0
	}
	return id
}

// Status maps an error to an HTTP status and a message for people, in
// Simplified Chinese. Internal details never reach the message.
func Status(err error) (int, string) {
	var inv *apperr.Invalid
	switch {
	case errors.Is(err, apperr.ErrNotFound):
		return http.StatusNotFound, "您访问的页面不存在或已被删除。"
	case errors.Is(err, apperr.ErrForbidden):
		return http.StatusForbidden, "您没有执行此操作的权限。"
	case errors.Is(err, apperr.ErrUnauthenticated):
		return http.StatusUnauthorized, "请先登录。"
	case errors.Is(err, apperr.ErrConflict):
		return http.StatusConflict, "数据已被他人修改或与已有数据冲突，请刷新后重试。"
	case errors.Is(err, apperr.ErrRateLimited):
		return http.StatusTooManyRequests, "操作过于频繁，请稍后再试。"
	case errors.As(err, &inv):
		msgs := make([]string, 0, len(inv.Fields))
		for _, m := range inv.Fields {
			msgs = append(msgs, m)
		}
		return http.StatusUnprocessableEntity, strings.Join(msgs, "；")
	case errors.Is(err, context.Canceled):
		return 499, "请求已取消。"
	}
	return http.StatusInternalServerError, "服务器内部错误，请稍后再试。如问题持续，请联系网站管理员并告知错误编号。"
}

// Flash cookie: a one-time message shown after a redirect.
const flashCookie = "gk_flash"

// SetFlash stores a message to show on the next page.
func SetFlash(w http.ResponseWriter, msg string) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: encodeFlash(msg), Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, MaxAge: 60})
}

// TakeFlash returns the pending message and clears it.
func TakeFlash(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	return decodeFlash(c.Value)
}

func encodeFlash(s string) string { return hex.EncodeToString([]byte(s)) }

func decodeFlash(s string) string {
	b, err := hex.DecodeString(s)
	if err != nil || len(b) > 500 {
		return ""
	}
	return string(b)
}
