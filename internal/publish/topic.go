package publish

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"gongkai/internal/account"
	"gongkai/internal/apperr"
	"gongkai/internal/audit"
	"gongkai/internal/org"
)

// CanManageTopics reports whether actor may change the topic classification
// (主题分类), which every org of the installation shares: administrators of
// a top-level org (the city government) and the system.
func CanManageTopics(actor account.Actor, orgs []org.Org) bool {
	if actor.System {
		return true
	}
	for _, o := range orgs {
		if o.ParentID == 0 && actor.Has(account.RoleAdmin, []int64{o.ID}) {
			return true
		}
	}
	return false
}

func topicRecord(actor account.Actor, act audit.Action, name string) audit.Record {
	return audit.Record{ActorID: actor.UserID, ActorName: actor.Name, Action: act, ObjectType: "topic", Detail: name, IP: actor.IP}
}

// AddTopic adds name to the end of the topic classification.
func (s *Service) AddTopic(ctx context.Context, actor account.Actor, name string) error {
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > 50 {
		return apperr.Invalidf("name", "请填写主题分类名称（1至50个字）")
	}
	return s.store.UpdatePublish(ctx, func(tx Tx) error {
		orgs, err := tx.Orgs(ctx)
		if err != nil {
			return err
		}
		if !CanManageTopics(actor, orgs) {
			return fmt.Errorf("add topic: %w", apperr.ErrForbidden)
		}
		topics, err := tx.Topics(ctx)
		if err != nil {
			return err
		}
		if slices.Contains(topics, name) {
			return apperr.Invalidf("name", "主题分类“%s”已存在", name)
		}
		if err := tx.AddTopic(ctx, name, (len(topics)+1)*10); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, topicRecord(actor, audit.ActTopicAdd, name))
	})
}

// RemoveTopic removes name from the topic classification. Items already
// classified under it keep it; it is no longer offered.
func (s *Service) RemoveTopic(ctx context.Context, actor account.Actor, name string) error {
	return s.store.UpdatePublish(ctx, func(tx Tx) error {
		orgs, err := tx.Orgs(ctx)
		if err != nil {
			return err
		}
		if !CanManageTopics(actor, orgs) {
			return fmt.Errorf("remove topic: %w", apperr.ErrForbidden)
		}
		if err := tx.RemoveTopic(ctx, name); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, topicRecord(actor, audit.ActTopicRemove, name))
	})
}
