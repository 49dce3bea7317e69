package interact

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gongkai/internal/account"
	"gongkai/internal/apperr"
	"gongkai/internal/audit"
)

// consultStep loads consultation id, hides it from staff outside its org,
// checks roles, runs fn, saves and audits, in one transaction.
func (s *Service) consultStep(ctx context.Context, actor account.Actor, id int64, roles []account.Role, act audit.Action,
	fn func(tx Tx, c *Consultation, now time.Time) (string, error)) (*Consultation, error) {
	var out *Consultation
	err := s.store.UpdateInteract(ctx, func(tx Tx) error {
		c, err := tx.Consultation(ctx, id)
		if err != nil {
			return err
		}
		path, err := orgPath(ctx, tx, c.OrgID)
		if err != nil {
			return err
		}
		if !actor.HasAny(path, ViewRoles...) {
			return fmt.Errorf("consultation %d: %w", id, apperr.ErrNotFound)
		}
		if err := actor.Require(path, roles...); err != nil {
			return err
		}
		now := s.cfg.Now().UTC()
		detail, err := fn(tx, c, now)
		if err != nil {
			return err
		}
		if err := tx.SaveConsultation(ctx, c); err != nil {
			return err
		}
		out = c
		return tx.AppendAudit(ctx, record(actor, c.OrgID, act, "consultation", c.ID, detail))
	})
	return out, err
}

// OpenConsultation opens a consultation on a draft. The actor needs the
// publisher role in the org.
func (s *Service) OpenConsultation(ctx context.Context, actor account.Actor, c *Consultation) error {
	c.Normalize()
	if err := c.Validate(Today(s.cfg.Now())); err != nil {
		return err
	}
	return s.store.UpdateInteract(ctx, func(tx Tx) error {
		path, err := orgPath(ctx, tx, c.OrgID)
		if err != nil {
			return err
		}
		if err := actor.Require(path, ConsultRoles...); err != nil {
			return err
		}
		c.ID, c.CreatedBy, c.SummaryState = 0, actor.Name, SummaryNone
		if err := tx.SaveConsultation(ctx, c); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, record(actor, c.OrgID, audit.ActConsultOpen, "consultation", c.ID,
			fmt.Sprintf("发起意见征集“%s”（%s 至 %s）", c.Title, c.StartOn, c.EndOn)))
	})
}

// AddComment stores a citizen's comment on an open consultation, pending
// moderation. The same text from the same address within the duplicate
// window is refused.
func (s *Service) AddComment(ctx context.Context, consultationID int64, cm *Comment, ipKey string) error {
	if err := cm.Validate(); err != nil {
		return err
	}
	cm.Fingerprint = Fingerprint(ipKey, consultationID, "", cm.Body)
	now := s.cfg.Now().UTC().Truncate(time.Second)
	return s.store.UpdateInteract(ctx, func(tx Tx) error {
		c, err := tx.Consultation(ctx, consultationID)
		if err != nil {
			return err
		}
		if c.PhaseOf(Today(now)) != PhaseOpen {
			return apperr.Invalidf("body", "本次意见征集不在征集期内（%s 至 %s），不能提交意见", c.StartOn, c.EndOn)
		}
		dup, err := tx.RecentCommentByFingerprint(ctx, cm.Fingerprint, now.Add(-s.cfg.DuplicateWindow))
		if err != nil {
			return err
		}
		if dup {
			return apperr.Invalidf("", "您刚刚已提交过相同内容的意见，请勿重复提交。")
		}
		cm.ID, cm.ConsultationID, cm.State, cm.CreatedAt = 0, c.ID, CommentPending, now
		if err := tx.SaveComment(ctx, cm); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, record(publicActor, c.OrgID, audit.ActConsultComment, "consultation", c.ID, "提交征集意见"))
	})
}

// ModerateComment shows or hides a comment. A shown comment carries the
// name masked and personal data screened; the raw text stays for staff.
func (s *Service) ModerateComment(ctx context.Context, actor account.Actor, commentID int64, show bool) error {
	return s.store.UpdateInteract(ctx, func(tx Tx) error {
		cm, err := tx.Comment(ctx, commentID)
		if err != nil {
			return err
		}
		c, err := tx.Consultation(ctx, cm.ConsultationID)
		if err != nil {
			return err
		}
		path, err := orgPath(ctx, tx, c.OrgID)
		if err != nil {
			return err
		}
		if !actor.HasAny(path, ViewRoles...) {
			return fmt.Errorf("comment %d: %w", commentID, apperr.ErrNotFound)
		}
		if err := actor.Require(path, ConsultRoles...); err != nil {
			return err
		}
		cm.ModeratedBy = actor.Name
		detail := "意见不公开"
		if show {
			cm.State = CommentShown
			cm.PublicName = maskedName(cm.Sender.Name)
			cm.PublicBody = Screen(cm.Body, cm.Sender, s.cfg.Now)
			detail = "意见公开"
		} else {
			cm.State, cm.PublicName, cm.PublicBody = CommentHidden, "", ""
		}
		if err := tx.SaveComment(ctx, cm); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, record(actor, c.OrgID, audit.ActConsultModerate, "consultation", c.ID, fmt.Sprintf("意见 %d：%s", cm.ID, detail)))
	})
}

// SubmitSummary stores the feedback summary (what was adopted and why),
// only after the period has ended. With itemID 0 it awaits a section
// head's approval here (ApproveSummary); otherwise itemID is the item that
// carries it through the publishing workflow, and it shows once that item
// is published.
func (s *Service) SubmitSummary(ctx context.Context, actor account.Actor, id int64, summary string, itemID int64) (*Consultation, error) {
	summary = strings.ReplaceAll(strings.TrimSpace(summary), "\r\n", "\n")
	return s.consultStep(ctx, actor, id, ConsultRoles, audit.ActConsultSummary, func(tx Tx, c *Consultation, now time.Time) (string, error) {
		if err := c.CheckSummary(Today(now), summary); err != nil {
			return "", err
		}
		if err := CheckReply(summary, Sender{}, s.cfg.Now); err != nil {
			if inv, ok := apperr.AsInvalid(err); ok {
				return "", apperr.Invalidf("summary", "%s", inv.Fields["body"])
			}
			return "", err
		}
		c.Summary, c.SummaryState, c.SummaryBy, c.SummaryAt, c.SummaryItemID = summary, SummarySubmitted, actor.Name, now, itemID
		c.ApprovedBy, c.ApprovedAt = "", time.Time{}
		if itemID != 0 {
			return fmt.Sprintf("提交意见采纳情况，经信息发布审核流程发布（信息 %d）", itemID), nil
		}
		return "提交意见采纳情况待审核", nil
	})
}

// ApproveSummary publishes the submitted feedback summary. The approver
// needs the section role and may not be who wrote it.
func (s *Service) ApproveSummary(ctx context.Context, actor account.Actor, id int64) (*Consultation, error) {
	return s.consultStep(ctx, actor, id, ApproveRoles, audit.ActConsultApprove, func(tx Tx, c *Consultation, now time.Time) (string, error) {
		if c.SummaryState != SummarySubmitted {
			return "", apperr.Invalidf("", "没有待审核的意见采纳情况")
		}
		if c.SummaryItemID != 0 {
			return "", apperr.Invalidf("", "意见采纳情况正在信息发布审核流程中，发布后自动公开")
		}
		if c.SummaryBy == actor.Name && !actor.System {
			return "", fmt.Errorf("approve own summary: %w", apperr.ErrForbidden)
		}
		c.SummaryState, c.ApprovedBy, c.ApprovedAt = SummaryPublished, actor.Name, now
		return "发布意见采纳情况", nil
	})
}

// ViewConsultation returns a consultation for a staff member who may read
// it; others get an error wrapping apperr.ErrNotFound.
func (s *Service) ViewConsultation(ctx context.Context, actor account.Actor, id int64) (*Consultation, error) {
	var c *Consultation
	err := s.store.ViewInteract(ctx, func(tx Tx) error {
		var err error
		if c, err = tx.Consultation(ctx, id); err != nil {
			return err
		}
		path, err := orgPath(ctx, tx, c.OrgID)
		if err != nil {
			return err
		}
		if !actor.HasAny(path, ViewRoles...) {
			return fmt.Errorf("consultation %d: %w", id, apperr.ErrNotFound)
		}
		return nil
	})
	return c, err
}
