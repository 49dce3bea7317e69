package admin

import (
	"context"
	"net/http"
	"slices"

	"gongkai/internal/account"
	"gongkai/internal/apperr"
	"gongkai/internal/org"
	"gongkai/internal/publish"
	"gongkai/internal/web"
)

// TokenReader lists API tokens. *store.DB implements it.
type TokenReader interface {
	APITokens(ctx context.Context, orgIDs []int64) ([]publish.Token, error)
}

type tokenRow struct {
	publish.Token
	OrgName string
}

type tokenPage struct {
	basePage
	Orgs   []org.Org
	Rows   []tokenRow
	Secret string // shown once, right after creation
	Name   string
	OrgID  int64
	Errors map[string]string
}

func (h *handler) tokenPage(w http.ResponseWriter, r *http.Request) (tokenPage, error) {
	ctx := r.Context()
	orgs, err := h.Reader.Orgs(ctx)
	if err != nil {
		return tokenPage{}, err
	}
	scope := org.Scope(orgs, actor(r), account.RoleAdmin)
	if len(scope) == 0 {
		return tokenPage{}, apperr.ErrForbidden
	}
	p := tokenPage{basePage: h.base(w, r, "接口令牌")}
	names := map[int64]string{}
	for _, o := range orgs {
		names[o.ID] = o.Name
		if slices.Contains(scope, o.ID) {
			p.Orgs = append(p.Orgs, o)
		}
	}
	toks, err := h.Pub.TokenList.APITokens(ctx, scope)
	if err != nil {
		return tokenPage{}, err
	}
	for _, t := range toks {
		p.Rows = append(p.Rows, tokenRow{Token: t, OrgName: names[t.OrgID]})
	}
	return p, nil
}

func (h *handler) tokenList(w http.ResponseWriter, r *http.Request) error {
	p, err := h.tokenPage(w, r)
	if err != nil {
		return err
	}
	return h.tmpl.Render(w, http.StatusOK, "token/list", p)
}

// tokenCreate makes a token and shows its secret once; it is not stored.
func (h *handler) tokenCreate(w http.ResponseWriter, r *http.Request) error {
	orgID, name := web.FormID(r, "org_id"), r.PostFormValue("name")
	role := account.Role(r.PostFormValue("role"))
	if role == "" {
		role = account.RoleOfficer
	}
	secret, _, err := h.Pub.Tokens.Create(r.Context(), actor(r), orgID, role, name)
	inv, invalid := apperr.AsInvalid(err)
	if err != nil && !invalid {
		return err
	}
	p, perr := h.tokenPage(w, r)
	if perr != nil {
		return perr
	}
	if invalid {
		p.Errors, p.Name, p.OrgID = inv.Fields, name, orgID
		return h.tmpl.Render(w, http.StatusUnprocessableEntity, "token/list", p)
	}
	p.Secret = secret
	return h.tmpl.Render(w, http.StatusOK, "token/list", p)
}

func (h *handler) tokenRevoke(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := h.Pub.Tokens.Revoke(r.Context(), actor(r), id); err != nil {
		return err
	}
	redirect(w, r, "/admin/tokens", "已吊销令牌")
	return nil
}
