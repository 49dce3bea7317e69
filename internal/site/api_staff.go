package site

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"gongkai/internal/account"
	"gongkai/internal/apperr"
	"gongkai/internal/publish"
	"gongkai/internal/web"
)

// StaffAPI holds what the token-authenticated endpoints need: other
// systems create items as drafts in the token's org and submit them for
// review. They never review or publish; people do.
type StaffAPI struct {
	Tokens  *publish.Tokens
	Publish *publish.Service
	Limit   *web.RateLimiter // per client address; nil for no limit
}

func (s *StaffAPI) routes(mux *http.ServeMux, a *api) {
	mux.Handle("POST /api/v1/items", a.wrap(s.auth(a, s.create)))
	mux.Handle("POST /api/v1/items/{id}/submit", a.wrap(s.auth(a, s.submit)))
}

// auth turns the bearer token into an actor for fn.
func (s *StaffAPI) auth(a *api, fn func(w http.ResponseWriter, r *http.Request, a *api, act account.Actor) error) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		if s.Limit != nil {
			if err := s.Limit.Check(r); err != nil {
				return err
			}
		}
		secret, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="gongkai"`)
			return fmt.Errorf("no bearer token: %w", apperr.ErrUnauthenticated)
		}
		act, err := s.Tokens.Authenticate(r.Context(), strings.TrimSpace(secret), web.ClientIP(r))
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="gongkai", error="invalid_token"`)
			return err
		}
		return fn(w, r, a, act)
	}
}

// draftJSON is the body of POST /api/v1/items.
type draftJSON struct {
	Title       string   `json:"title"`
	Subtitle    string   `json:"subtitle"`
	Summary     string   `json:"summary"`
	Body        string   `json:"body"`
	Source      string   `json:"source"`
	Author      string   `json:"author"`
	Column      string   `json:"column"`
	Columns     []string `json:"columns"`
	DocNo       string   `json:"doc_no"`
	Issuer      string   `json:"issuer"`
	Topic       string   `json:"topic"`
	Genre       string   `json:"genre"`
	WrittenDate string   `json:"written_date"`
	FormedDate  string   `json:"formed_date"`
	Disclosure  string   `json:"disclosure"`
	Keywords    string   `json:"keywords"`
}

type createdJSON struct {
	ID    int64  `json:"id"`
	State string `json:"state"`
}

func (s *StaffAPI) create(w http.ResponseWriter, r *http.Request, a *api, act account.Actor) error {
	var d draftJSON
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		return apperr.Invalidf("", "请求体不是有效的 JSON，或含有未知字段")
	}
	if len(act.Grants) != 1 {
		return fmt.Errorf("token actor without one grant: %w", apperr.ErrForbidden)
	}
	orgID := act.Grants[0].OrgID
	cols, err := a.Reader.Columns(r.Context(), orgID)
	if err != nil {
		return err
	}
	slug := map[string]int64{}
	for _, c := range cols {
		slug[c.Slug] = c.ID
	}
	draft := publish.Draft{Title: d.Title, Subtitle: d.Subtitle, Summary: d.Summary, Body: d.Body, Source: d.Source, Author: d.Author,
		ColumnID: slug[d.Column], DocNo: d.DocNo, Issuer: d.Issuer, Topic: d.Topic, Genre: d.Genre, WrittenDate: d.WrittenDate,
		FormedDate: d.FormedDate, Disclosure: publish.Disclosure(d.Disclosure), Keywords: d.Keywords}
	for _, c := range d.Columns {
		id, ok := slug[c]
		if !ok {
			return apperr.Invalidf("columns", "栏目“%s”不存在", c)
		}
		draft.Columns = append(draft.Columns, id)
	}
	if d.Column != "" && draft.ColumnID == 0 {
		return apperr.Invalidf("column_id", "栏目“%s”不存在", d.Column)
	}
	it, err := s.Publish.Create(r.Context(), act, orgID, draft)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, createdJSON{ID: it.ID, State: string(it.State)})
	return nil
}

func (s *StaffAPI) submit(w http.ResponseWriter, r *http.Request, a *api, act account.Actor) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return apperr.ErrNotFound
	}
	err = s.Publish.Submit(r.Context(), act, id)
	if errors.Is(err, apperr.ErrForbidden) {
		return fmt.Errorf("item %d: %w", id, apperr.ErrNotFound) // another org's item is not confirmed to exist
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, createdJSON{ID: id, State: string(publish.StateSectionReview)})
	return nil
}
