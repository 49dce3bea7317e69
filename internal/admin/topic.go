package admin

import (
	"net/http"

	"gongkai/internal/account"
	"gongkai/internal/apperr"
	"gongkai/internal/org"
	"gongkai/internal/publish"
)

type topicPage struct {
	basePage
	Topics    []string
	CanManage bool
	Name      string
	Errors    map[string]string
}

func (h *handler) topicPage(w http.ResponseWriter, r *http.Request) (topicPage, error) {
	orgs, err := h.Reader.Orgs(r.Context())
	if err != nil {
		return topicPage{}, err
	}
	act := actor(r)
	if len(org.Scope(orgs, act, account.RoleAdmin, account.RolePublisher)) == 0 {
		return topicPage{}, apperr.ErrForbidden
	}
	topics, err := h.Pub.Items.Topics(r.Context())
	if err != nil {
		return topicPage{}, err
	}
	return topicPage{basePage: h.base(w, r, "主题分类"), Topics: topics, CanManage: publish.CanManageTopics(act, orgs)}, nil
}

// topicList shows the topic classification offered on the item form;
// administrators of the top-level org change it.
func (h *handler) topicList(w http.ResponseWriter, r *http.Request) error {
	p, err := h.topicPage(w, r)
	if err != nil {
		return err
	}
	return h.tmpl.Render(w, http.StatusOK, "topic/list", p)
}

func (h *handler) topicAdd(w http.ResponseWriter, r *http.Request) error {
	name := r.PostFormValue("name")
	err := h.Pub.Service.AddTopic(r.Context(), actor(r), name)
	if inv, ok := apperr.AsInvalid(err); ok {
		p, perr := h.topicPage(w, r)
		if perr != nil {
			return perr
		}
		p.Errors, p.Name = inv.Fields, name
		return h.tmpl.Render(w, http.StatusUnprocessableEntity, "topic/list", p)
	}
	if err != nil {
		return err
	}
	redirect(w, r, "/admin/topics", "已新增主题分类“"+name+"”")
	return nil
}

func (h *handler) topicRemove(w http.ResponseWriter, r *http.Request) error {
	name := r.PostFormValue("name")
	if err := h.Pub.Service.RemoveTopic(r.Context(), actor(r), name); err != nil {
		return err
	}
	redirect(w, r, "/admin/topics", "已删除主题分类“"+name+"”；已使用它的信息不受影响")
	return nil
}
