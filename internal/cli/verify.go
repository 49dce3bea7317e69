package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"gongkai/internal/translog"
)

// verifyState is what verify remembers between runs, per server: the log's
// key (trusted on first use) and the last checkpoint that checked out.
type verifyState struct {
	Server     string `json:"server"`
	Key        string `json:"key"`
	Checkpoint string `json:"checkpoint"` // signed note text
}

func runVerify(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "verify", "verify --server URL [--item ID] [--state FILE]")
	server := fs.String("server", "", "address of the Gongkai site, e.g. https://mzj.suizhou.gov.cn (required)")
	itemID := fs.Int64("item", 0, "ID of a published item to check against the log (optional)")
	statePath := fs.String("state", "", "file that keeps the log's key and the last checkpoint seen (default: gongkai/verify-HOST.json in the user config directory)")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	base := strings.TrimRight(*server, "/")
	u, err := url.Parse(base)
	if base == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return e.errorf(exitUsage, "verify: --server must be an http or https address")
	}
	if fs.NArg() > 0 || *itemID < 0 {
		return e.errorf(exitUsage, "verify: unexpected arguments")
	}
	if *statePath == "" {
		dir, err := os.UserConfigDir()
		if err != nil {
			return e.errorf(exitUsage, "verify: no --state file and no user config directory: %v", err)
		}
		*statePath = filepath.Join(dir, "gongkai", "verify-"+strings.NewReplacer(":", "_", "/", "_").Replace(u.Host)+".json")
	}
	v := &verifier{base: base, client: &http.Client{Timeout: 30 * time.Second}, out: e.stdout}
	return v.run(ctx, e, *statePath, *itemID)
}

type verifier struct {
	base   string
	client *http.Client
	out    io.Writer
}

func (v *verifier) get(ctx context.Context, path string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, v.base+path, nil)
	if err != nil {
		return nil, err
	}
	res, err := v.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, 64<<20))
	if err != nil {
		return nil, err
	}
	if res.StatusCode != http.StatusOK {
		return b, &httpStatusError{path: path, status: res.StatusCode}
	}
	return b, nil
}

type httpStatusError struct {
	path   string
	status int
}

func (e *httpStatusError) Error() string { return fmt.Sprintf("GET %s: HTTP %d", e.path, e.status) }

func (v *verifier) say(format string, args ...any) { fmt.Fprintf(v.out, format+"\n", args...) }

func (v *verifier) run(ctx context.Context, e *env, statePath string, itemID int64) int {
	var st verifyState
	if b, err := os.ReadFile(statePath); err == nil {
		if err := json.Unmarshal(b, &st); err != nil {
			return e.errorf(exitUsage, "verify: state file %s is not readable: %v", statePath, err)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return e.errorf(exitUsage, "verify: read state file: %v", err)
	}
	if st.Server != "" && st.Server != v.base {
		return e.errorf(exitUsage, "verify: state file %s belongs to %s, not %s", statePath, st.Server, v.base)
	}

	keyText, err := v.get(ctx, "/log/key")
	if err != nil {
		return e.errorf(exitFailure, "verify: fetch the log's key: %v", err)
	}
	key := strings.TrimSpace(string(keyText))
	switch {
	case st.Key == "":
		v.say("Log key (trusted from now on, kept in %s):\n  %s", statePath, key)
	case st.Key != key:
		v.say("MISMATCH: the server now presents a different log key than the one seen before.\n  before: %s\n  now:    %s", st.Key, key)
		return exitFailure
	}
	note, err := v.get(ctx, "/log/checkpoint")
	if err != nil {
		return e.errorf(exitFailure, "verify: fetch checkpoint: %v", err)
	}
	var prev *translog.Checkpoint
	if st.Checkpoint != "" {
		c, err := translog.Open([]byte(st.Checkpoint), key)
		if err != nil {
			return e.errorf(exitUsage, "verify: the checkpoint in %s does not verify: %v", statePath, err)
		}
		prev = &c
	}
	cur, err := translog.Open(note, key)
	if err != nil {
		v.say("MISMATCH: the checkpoint is not signed by the log's key: %v", err)
		return exitFailure
	}
	v.say("Checkpoint: log %s, %d entries, root %s", cur.Origin, cur.Size, cur.Root)

	ev := translog.Evidence{Note: note}
	failed := false
	if prev != nil {
		if cur.Size < prev.Size {
			v.say("MISMATCH: the log shrank from %d to %d entries since the last check.", prev.Size, cur.Size)
			return exitFailure
		}
		proof, err := v.get(ctx, fmt.Sprintf("/log/proof/consistency?old=%d&new=%d", prev.Size, cur.Size))
		if err != nil {
			return e.errorf(exitFailure, "verify: fetch consistency proof: %v", err)
		}
		p, err := translog.ParseProof(proof)
		if err != nil {
			v.say("MISMATCH: the consistency proof is malformed: %v", err)
			return exitFailure
		}
		if err := translog.CheckTree(p, *prev, cur); err != nil {
			v.say("MISMATCH: the log is not an extension of the one seen before (%d entries): it was rewritten. %v", prev.Size, err)
			failed = true
		} else {
			v.say("Consistent with the checkpoint seen before (%d entries).", prev.Size)
		}
		ev.Consistency = p
	} else {
		v.say("No earlier checkpoint: this one is remembered for next time.")
	}

	if itemID > 0 {
		ok, err := v.checkItem(ctx, key, prev, &ev, cur, itemID)
		if err != nil {
			return e.errorf(exitFailure, "verify: %v", err)
		}
		failed = failed || !ok
	}
	if failed {
		v.say("RESULT: verification FAILED.")
		return exitFailure
	}
	st = verifyState{Server: v.base, Key: key, Checkpoint: string(note)}
	b, _ := json.MarshalIndent(st, "", "  ")
	if err := os.MkdirAll(filepath.Dir(statePath), 0o700); err != nil {
		return e.errorf(exitFailure, "verify: save state: %v", err)
	}
	if err := os.WriteFile(statePath, append(b, '\n'), 0o600); err != nil {
		return e.errorf(exitFailure, "verify: save state: %v", err)
	}
	v.say("RESULT: everything checked out.")
	return exitOK
}

// apiItem is the part of /api/v1/items/{id} that verify reads.
type apiItem struct {
	ID          int64             `json:"id"`
	URL         string            `json:"url"`
	Title       string            `json:"title"`
	Body        string            `json:"body"`
	Metadata    map[string]string `json:"metadata"`
	Attachments []struct {
		SHA256 string `json:"sha256"`
	} `json:"attachments"`
	Log *struct {
		Index int64 `json:"index"`
	} `json:"log"`
}

func (v *verifier) checkItem(ctx context.Context, key string, prev *translog.Checkpoint, ev *translog.Evidence, cur translog.Checkpoint, id int64) (bool, error) {
	body, err := v.get(ctx, "/api/v1/items/"+strconv.FormatInt(id, 10))
	var hs *httpStatusError
	if errors.As(err, &hs) && hs.status == http.StatusGone {
		return v.checkWithdrawn(ctx, key, prev, ev, cur, id, body)
	}
	if errors.As(err, &hs) && hs.status == http.StatusNotFound {
		v.say("Item %d is not on the site (HTTP 404): it was never published.", id)
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("fetch item %d: %w", id, err)
	}
	var it apiItem
	if err := json.Unmarshal(body, &it); err != nil {
		return false, fmt.Errorf("item %d: malformed JSON: %v", id, err)
	}
	if it.Log == nil {
		v.say("MISMATCH: item %d (%s) has no record in the publication log.", id, it.Title)
		return false, nil
	}
	content := translog.Content{Title: it.Title, Body: it.Body, Metadata: it.Metadata}
	for _, a := range it.Attachments {
		d, err := translog.ParseDigest(a.SHA256)
		if err != nil {
			v.say("MISMATCH: item %d lists an attachment with a malformed SHA-256.", id)
			return false, nil
		}
		content.Attachments = append(content.Attachments, d)
	}
	ev.Index = it.Log.Index
	if ev.Leaf, err = v.get(ctx, "/log/leaf/"+strconv.FormatInt(it.Log.Index, 10)); err != nil {
		return false, fmt.Errorf("fetch leaf %d: %w", it.Log.Index, err)
	}
	proof, err := v.get(ctx, fmt.Sprintf("/log/proof/inclusion?index=%d&size=%d", it.Log.Index, cur.Size))
	if err != nil {
		return false, fmt.Errorf("fetch inclusion proof: %w", err)
	}
	if ev.Inclusion, err = translog.ParseProof(proof); err != nil {
		v.say("MISMATCH: the inclusion proof is malformed: %v", err)
		return false, nil
	}
	ev.Content = &content
	res, err := translog.Verify(key, prev, *ev)
	ok := true
	if errors.Is(err, translog.ErrNotIncluded) || errors.Is(err, translog.ErrInvalidLeaf) {
		v.say("MISMATCH: log entry %d is not in the signed log as served.", it.Log.Index)
		ok = false
	}
	if errors.Is(err, translog.ErrContentMismatch) {
		v.say("MISMATCH: item %d as the site serves it now differs from what the log recorded in entry %d: its title, text, catalog data or attachments were changed without a new public version.", id, it.Log.Index)
		ok = false
	}
	if res.Leaf.ItemID != 0 && (res.Leaf.ItemID != id || strconv.Itoa(res.Leaf.Version) != it.Metadata["version"]) {
		v.say("MISMATCH: log entry %d records item %d version %d, not item %d version %s.", it.Log.Index, res.Leaf.ItemID, res.Leaf.Version, id, it.Metadata["version"])
		ok = false
	}
	if ok {
		v.say("Item %d «%s»: content matches log entry %d (%s of version %d at %s), which is in the signed log.",
			id, it.Title, it.Log.Index, res.Leaf.Action, res.Leaf.Version, res.Leaf.Time.Format(time.RFC3339))
	}
	return ok, nil
}

// checkWithdrawn checks that the withdrawal of an item the site no longer
// shows is recorded in the signed log.
func (v *verifier) checkWithdrawn(ctx context.Context, key string, prev *translog.Checkpoint, ev *translog.Evidence, cur translog.Checkpoint, id int64, body []byte) (bool, error) {
	var gone struct {
		Log *struct {
			Index int64 `json:"index"`
		} `json:"log"`
	}
	if err := json.Unmarshal(body, &gone); err != nil || gone.Log == nil {
		v.say("MISMATCH: item %d is withdrawn but the site names no log record of the withdrawal.", id)
		return false, nil
	}
	var err error
	ev.Index = gone.Log.Index
	if ev.Leaf, err = v.get(ctx, "/log/leaf/"+strconv.FormatInt(ev.Index, 10)); err != nil {
		return false, fmt.Errorf("fetch leaf %d: %w", ev.Index, err)
	}
	proof, err := v.get(ctx, fmt.Sprintf("/log/proof/inclusion?index=%d&size=%d", ev.Index, cur.Size))
	if err != nil {
		return false, fmt.Errorf("fetch inclusion proof: %w", err)
	}
	if ev.Inclusion, err = translog.ParseProof(proof); err != nil {
		v.say("MISMATCH: the inclusion proof is malformed: %v", err)
		return false, nil
	}
	res, err := translog.Verify(key, prev, *ev)
	if errors.Is(err, translog.ErrNotIncluded) || errors.Is(err, translog.ErrInvalidLeaf) {
		v.say("MISMATCH: log entry %d is not in the signed log as served.", ev.Index)
		return false, nil
	}
	if res.Leaf.ItemID != id || res.Leaf.Action != translog.ActionWithdraw {
		v.say("MISMATCH: item %d is withdrawn, but log entry %d records %s of item %d.", id, ev.Index, res.Leaf.Action, res.Leaf.ItemID)
		return false, nil
	}
	v.say("Item %d was withdrawn; the withdrawal (version %d, %s) is log entry %d, which is in the signed log.",
		id, res.Leaf.Version, res.Leaf.Time.Format(time.RFC3339), ev.Index)
	return true, nil
}
