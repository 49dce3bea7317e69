package site

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"gongkai/internal/apperr"
	"gongkai/internal/publish"
	"gongkai/internal/translog"
	"gongkai/internal/web"
)

// LogSource reads the publication log. *store.DB implements it.
type LogSource interface {
	LogHead(ctx context.Context) (int64, translog.Hash, error)
	LogLeafAt(ctx context.Context, index int64) (*publish.LogEntry, error)
	LogProveRecord(ctx context.Context, size, index int64) (translog.RecordProof, error)
	LogProveTree(ctx context.Context, size, oldSize int64) (translog.TreeProof, error)
}

// LogConfig holds the publication log's public endpoints' dependencies.
type LogConfig struct {
	Log    *slog.Logger
	Source LogSource
	// SKey signs checkpoints (secret; never logged); VKey is its public
	// verifier key, whose name is the log's origin.
	SKey, VKey string
}

// Origin returns the name of the log, which is the name of its key: the
// part of a verifier key before the first '+'.
func Origin(vkey string) string {
	name, _, _ := strings.Cut(vkey, "+")
	return name
}

// NewLog returns the public endpoints of the publication log, to be
// mounted at /log/. Everything is plain text, in the formats of
// internal/translog, so anyone can check the log with their own tools:
//
//	GET /log/checkpoint                              the latest signed checkpoint
//	GET /log/key                                     the verifier key
//	GET /log/leaf/{n}                                leaf n's text
//	GET /log/proof/inclusion?index=N&size=S          proof that leaf N is in the tree of S leaves
//	GET /log/proof/consistency?old=O&new=S           proof that the tree of S leaves extends that of O
func NewLog(cfg LogConfig) http.Handler {
	mux := http.NewServeMux()
	text := func(fn func(r *http.Request) ([]byte, error)) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, err := fn(r)
			if err != nil {
				status, _ := web.Status(err)
				if _, ok := apperr.AsInvalid(err); ok {
					status = http.StatusBadRequest
				}
				if status >= 500 {
					cfg.Log.LogAttrs(r.Context(), slog.LevelError, "log endpoint", slog.String("request_id", web.RequestID(r)), slog.Any("err", err))
				}
				msg := "not found"
				switch {
				case status == http.StatusBadRequest:
					msg = "malformed query: numbers must be non-negative integers"
				case status >= 500:
					msg = "server error"
				}
				http.Error(w, msg, status)
				return
			}
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Header().Set("Cache-Control", "no-cache")
			w.Header().Set("Access-Control-Allow-Origin", "*")
			w.Write(b)
		})
	}
	mux.Handle("GET /log/checkpoint", text(func(r *http.Request) ([]byte, error) {
		size, root, err := cfg.Source.LogHead(r.Context())
		if err != nil {
			return nil, err
		}
		return translog.Sign(translog.Checkpoint{Origin: Origin(cfg.VKey), Size: size, Root: root}, cfg.SKey)
	}))
	mux.Handle("GET /log/key", text(func(r *http.Request) ([]byte, error) {
		return []byte(cfg.VKey + "\n"), nil
	}))
	mux.Handle("GET /log/leaf/{n}", text(func(r *http.Request) ([]byte, error) {
		n, err := strconv.ParseInt(r.PathValue("n"), 10, 64)
		if err != nil || n < 0 {
			return nil, apperr.ErrNotFound
		}
		l, err := cfg.Source.LogLeafAt(r.Context(), n)
		if err != nil {
			return nil, err
		}
		return []byte(l.Text), nil
	}))
	mux.Handle("GET /log/proof/inclusion", text(func(r *http.Request) ([]byte, error) {
		index, err1 := queryInt(r, "index")
		size, err2 := queryInt(r, "size")
		if err := errors.Join(err1, err2); err != nil {
			return nil, err
		}
		p, err := cfg.Source.LogProveRecord(r.Context(), size, index)
		if err != nil {
			return nil, err
		}
		return translog.FormatProof(p), nil
	}))
	mux.Handle("GET /log/proof/consistency", text(func(r *http.Request) ([]byte, error) {
		old, err1 := queryInt(r, "old")
		size, err2 := queryInt(r, "new")
		if err := errors.Join(err1, err2); err != nil {
			return nil, err
		}
		p, err := cfg.Source.LogProveTree(r.Context(), size, old)
		if err != nil {
			return nil, err
		}
		return translog.FormatProof(p), nil
	}))
	mux.Handle("GET /log/{$}", text(func(r *http.Request) ([]byte, error) {
		size, _, err := cfg.Source.LogHead(r.Context())
		if err != nil {
			return nil, err
		}
		return fmt.Appendf(nil, logIndex, Origin(cfg.VKey), size), nil
	}))
	mux.Handle("/log/", text(func(*http.Request) ([]byte, error) { return nil, apperr.ErrNotFound }))
	return mux
}

func queryInt(r *http.Request, name string) (int64, error) {
	n, err := strconv.ParseInt(r.URL.Query().Get(name), 10, 64)
	if err != nil || n < 0 {
		return 0, apperr.Invalidf(name, "%s must be a non-negative integer", name)
	}
	return n, nil
}

// logIndex explains the log to people who open /log/.
const logIndex = `本站发布记录（公开、只增不改的默克尔日志） — publication log %s
共 %d 条记录。每次发布、公开更新、有效性变更和撤回都记入一条，服务器对日志状态签名。
Every publish, public update, validity change and withdrawal is one entry; the server signs the log's state.

GET /log/checkpoint                        最新签名检查点 / latest signed checkpoint
GET /log/key                               验证公钥 / verifier key
GET /log/leaf/{n}                          第 n 条记录 / entry n
GET /log/proof/inclusion?index=N&size=S    包含证明 / inclusion proof
GET /log/proof/consistency?old=O&new=S     一致性证明 / consistency proof

验证某条信息 / to check an item:  gongkai verify --server <本站地址> --item <信息编号>
`
