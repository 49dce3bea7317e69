// Package audit defines the audit trail: one Record per state-changing staff
// action, each carrying the SHA-256 of its content and of the record before
// it, so that changing or deleting a stored record breaks the chain at that
// point. It depends on nothing in Gongkai except apperr.
package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
)

// Action names what was done. Values are what the database stores.
type Action string

// Actions recorded by the foundation; later features add their own.
const (
	ActLogin         Action = "login"
	ActLoginFailed   Action = "login_failed"
	ActLogout        Action = "logout"
	ActTOTPEnrol     Action = "totp_enrol"
	ActTOTPFailed    Action = "totp_failed"
	ActTOTPReset     Action = "totp_reset"
	ActPasswordSet   Action = "password_change"
	ActPasswordReset Action = "password_reset"
	ActUserCreate    Action = "user_create"
	ActUserUpdate    Action = "user_update"
	ActUserDisable   Action = "user_disable"
	ActUserEnable    Action = "user_enable"
	ActUserUnlock    Action = "user_unlock"
	ActOrgCreate     Action = "org_create"
	ActOrgUpdate     Action = "org_update"
	ActColumnCreate  Action = "column_create"
	ActColumnUpdate  Action = "column_update"
	ActColumnMove    Action = "column_move"
	ActColumnHide    Action = "column_hide"
	ActColumnShow    Action = "column_show"
	ActDemoLoad      Action = "demo_load"
)

// Actions of disclosure on application (internal/apply).
const (
	ActApplySubmit     Action = "apply_submit"
	ActApplyRegister   Action = "apply_register"
	ActApplyReceive    Action = "apply_receive"
	ActApplyAssign     Action = "apply_assign"
	ActApplyCorrection Action = "apply_correction"
	ActApplyCorrected  Action = "apply_corrected"
	ActApplyConsult    Action = "apply_consult"
	ActApplyConsultEnd Action = "apply_consult_end"
	ActApplyExtend     Action = "apply_extend"
	ActApplyAnswer     Action = "apply_answer"
	ActApplyDeliver    Action = "apply_deliver"
	ActApplyAttach     Action = "apply_attach"
	ActApplyCase       Action = "apply_case"
	ActApplyTemplate   Action = "apply_template"
	ActCalendarYear    Action = "calendar_year"
	ActApplyDefer      Action = "apply_defer"
)

// Actions of the publishing workflow (internal/publish).
const (
	ActItemCreate         Action = "item_create"
	ActItemSave           Action = "item_save"
	ActItemSubmit         Action = "item_submit"
	ActItemSectionApprove Action = "item_section_approve"
	ActItemApprove        Action = "item_approve"
	ActItemReject         Action = "item_reject"
	ActItemSchedule       Action = "item_schedule"
	ActItemPublish        Action = "item_publish"
	ActItemPublishUpdate  Action = "item_publish_update"
	ActItemUpdate         Action = "item_update"
	ActItemExpire         Action = "item_expire"
	ActItemRepeal         Action = "item_repeal"
	ActItemWithdraw       Action = "item_withdraw"
	ActAttachmentAdd      Action = "attachment_add"
	ActAttachmentRemove   Action = "attachment_remove"
	ActAPITokenCreate     Action = "api_token_create"
	ActAPITokenRevoke     Action = "api_token_revoke"
	ActTopicAdd           Action = "topic_add"
	ActTopicRemove        Action = "topic_remove"
)

// Actions of pre-publication screening (issue 4; internal/publish/screen.go).
const (
	ActScreenMask     Action = "screen_mask"
	ActScreenOverride Action = "screen_override"
	ActScreenWords    Action = "screen_words"
)

// Actions of public interaction (internal/interact).
const (
	ActInteractSubmit   Action = "interact_submit"
	ActInteractAccept   Action = "interact_accept"
	ActInteractReject   Action = "interact_reject"
	ActInteractForward  Action = "interact_forward"
	ActInteractAssign   Action = "interact_assign"
	ActInteractNote     Action = "interact_note"
	ActInteractDraft    Action = "interact_draft"
	ActInteractReturn   Action = "interact_return"
	ActInteractAnswer   Action = "interact_answer"
	ActInteractRate     Action = "interact_rate"
	ActInteractSettings Action = "interact_settings"
	ActInteractWithdraw Action = "interact_withdraw"
	ActConsultOpen      Action = "consult_open"
	ActConsultComment   Action = "consult_comment"
	ActConsultModerate  Action = "consult_moderate"
	ActConsultSummary   Action = "consult_summary"
	ActConsultApprove   Action = "consult_approve"
)

// Actions of the annual report (internal/report).
const (
	ActReportNarrative Action = "report_narrative"
	ActReportFigure    Action = "report_figure"
	ActReportStatus    Action = "report_status"
	ActReportWork      Action = "report_work"
)

// Actions of the site group (internal/syndicate): pushes to upper sites,
// submissions to upper bodies, units' required disclosures.
const (
	ActPushSend           Action = "push_send"
	ActPushAccept         Action = "push_accept"
	ActPushDecline        Action = "push_decline"
	ActSubmissionRecord   Action = "submission_record"
	ActSubmissionUpdate   Action = "submission_update"
	ActDisclosureApproval Action = "disclosure_approval"
	ActDisclosureRemind   Action = "disclosure_remind"
	ActSenderKeyAdd       Action = "sender_key_add"
)

// Actions of the security findings register (internal/inspect).
const (
	ActFindingCreate    Action = "finding_create"
	ActFindingRemediate Action = "finding_remediate"
	ActFindingClose     Action = "finding_close"
)

// Label is the action's name in the staff UI.
func (a Action) Label() string {
	if l, ok := labels[a]; ok {
		return l
	}
	return string(a)
}

var labels = map[Action]string{
	ActLogin: "登录", ActLoginFailed: "登录失败", ActLogout: "退出登录",
	ActTOTPEnrol: "绑定双因素认证", ActTOTPFailed: "动态码错误", ActTOTPReset: "重置双因素认证",
	ActPasswordSet: "修改密码", ActPasswordReset: "重置密码",
	ActUserCreate: "新建用户", ActUserUpdate: "修改用户", ActUserDisable: "停用用户", ActUserEnable: "启用用户", ActUserUnlock: "解除锁定",
	ActOrgCreate: "新建机构", ActOrgUpdate: "修改机构",
	ActColumnCreate: "新建栏目", ActColumnUpdate: "修改栏目", ActColumnMove: "调整栏目顺序", ActColumnHide: "隐藏栏目", ActColumnShow: "显示栏目",
	ActDemoLoad:    "载入演示数据",
	ActApplySubmit: "网上提交依申请公开", ActApplyRegister: "登记依申请公开", ActApplyReceive: "确认收到申请",
	ActApplyAssign: "分配经办人", ActApplyCorrection: "告知补正", ActApplyCorrected: "收到补正",
	ActApplyConsult: "征求意见", ActApplyConsultEnd: "收到意见", ActApplyExtend: "延长答复期限",
	ActApplyAnswer: "作出答复", ActApplyDeliver: "送达答复", ActApplyAttach: "添加申请附件",
	ActApplyCase: "登记复议诉讼", ActApplyTemplate: "修改告知书模板", ActCalendarYear: "修改节假日安排", ActApplyDefer: "确定延迟答复期限",
	ActItemCreate: "新建信息", ActItemSave: "保存信息草稿", ActItemSubmit: "提交审核", ActItemSectionApprove: "科室审核通过",
	ActItemApprove: "保密审查通过", ActItemReject: "退回信息", ActItemSchedule: "定时发布", ActItemPublish: "发布信息",
	ActItemPublishUpdate: "发布更新", ActItemUpdate: "开始更新信息", ActItemExpire: "标记失效", ActItemRepeal: "标记废止",
	ActItemWithdraw: "撤回信息", ActAttachmentAdd: "上传附件", ActAttachmentRemove: "删除附件",
	ActAPITokenCreate: "创建接口令牌", ActAPITokenRevoke: "吊销接口令牌", ActTopicAdd: "新增主题分类", ActTopicRemove: "删除主题分类",
	ActScreenMask: "遮盖检查发现的问题", ActScreenOverride: "放行检查发现的问题", ActScreenWords: "修改敏感词表",
	ActInteractSubmit: "网上留言", ActInteractAccept: "受理留言", ActInteractReject: "留言不予受理", ActInteractForward: "转办留言",
	ActInteractAssign: "交办留言", ActInteractNote: "留言内部备注", ActInteractDraft: "拟写留言答复", ActInteractReturn: "退回留言答复",
	ActInteractAnswer: "审核答复留言", ActInteractRate: "留言满意度评价", ActInteractSettings: "修改留言答复期限", ActInteractWithdraw: "撤下公开的留言",
	ActConsultOpen: "发起意见征集", ActConsultComment: "提交征集意见", ActConsultModerate: "审核征集意见",
	ActConsultSummary: "提交意见采纳情况", ActConsultApprove: "审核发布意见采纳情况",
	ActReportNarrative: "修改年报文字", ActReportFigure: "填报年报数据", ActReportStatus: "年报定稿状态", ActReportWork: "修改年报工作记录",
	ActPushSend: "推送信息至上级网站", ActPushAccept: "采用推送的信息", ActPushDecline: "退回推送的信息",
	ActSubmissionRecord: "登记信息报送", ActSubmissionUpdate: "修改信息报送", ActDisclosureApproval: "登记预决算批复日期",
	ActDisclosureRemind: "提醒应公开事项", ActSenderKeyAdd: "登记推送来源公钥",
	ActFindingCreate: "登记安全隐患", ActFindingRemediate: "登记隐患整改", ActFindingClose: "隐患销号",
}

// Actions lists the known actions, for filters in the staff UI.
func Actions() []Action {
	return []Action{ActLogin, ActLoginFailed, ActLogout, ActTOTPEnrol, ActTOTPFailed, ActTOTPReset,
		ActPasswordSet, ActPasswordReset, ActUserCreate, ActUserUpdate, ActUserDisable, ActUserEnable, ActUserUnlock,
		ActOrgCreate, ActOrgUpdate, ActColumnCreate, ActColumnUpdate, ActColumnMove, ActColumnHide, ActColumnShow, ActDemoLoad,
		ActApplySubmit, ActApplyRegister, ActApplyReceive, ActApplyAssign, ActApplyCorrection, ActApplyCorrected,
		ActApplyConsult, ActApplyConsultEnd, ActApplyExtend, ActApplyAnswer, ActApplyDeliver, ActApplyAttach,
		ActApplyCase, ActApplyTemplate, ActCalendarYear, ActApplyDefer,
		ActItemCreate, ActItemSave, ActItemSubmit, ActItemSectionApprove, ActItemApprove, ActItemReject, ActItemSchedule,
		ActItemPublish, ActItemPublishUpdate, ActItemUpdate, ActItemExpire, ActItemRepeal, ActItemWithdraw,
		ActAttachmentAdd, ActAttachmentRemove, ActAPITokenCreate, ActAPITokenRevoke, ActTopicAdd, ActTopicRemove,
		ActScreenMask, ActScreenOverride, ActScreenWords,
		ActInteractSubmit, ActInteractAccept, ActInteractReject, ActInteractForward, ActInteractAssign, ActInteractNote,
		ActInteractDraft, ActInteractReturn, ActInteractAnswer, ActInteractRate, ActInteractSettings, ActInteractWithdraw,
		ActConsultOpen, ActConsultComment, ActConsultModerate, ActConsultSummary, ActConsultApprove,
		ActReportNarrative, ActReportFigure, ActReportStatus, ActReportWork,
		ActPushSend, ActPushAccept, ActPushDecline, ActSubmissionRecord, ActSubmissionUpdate, ActDisclosureApproval,
		ActDisclosureRemind, ActSenderKeyAdd, ActFindingCreate, ActFindingRemediate, ActFindingClose}
}

// Record is one entry of the audit trail.
type Record struct {
	ID         int64
	At         time.Time // UTC, microsecond precision (what PostgreSQL keeps)
	ActorID    int64     // 0 for the system or an unknown user
	ActorName  string
	OrgID      int64 // org the object belongs to; 0 when none
	Action     Action
	ObjectType string // "user", "org", "column", ...
	ObjectID   int64
	Detail     string // human-readable, never a password, code or personal data
	IP         string
	PrevHash   string // hex SHA-256 of the previous record, "" for the first
	Hash       string // hex SHA-256 of this record's content and PrevHash
}

// Normalize truncates At to what both databases store, so the hash computed
// before insert matches the one recomputed after reading back.
func (r *Record) Normalize() {
	r.At = r.At.UTC().Truncate(time.Microsecond)
}

// ComputeHash returns the hash of r chained to prev. The content is encoded
// as a JSON array of the fields in a fixed order, which is unambiguous. The
// ID is left out: a record's place is fixed by PrevHash.
func ComputeHash(r Record, prev string) string {
	b, err := json.Marshal([]any{
		r.At.UTC().Format("2006-01-02T15:04:05.000000Z"),
		r.ActorID, r.ActorName, r.OrgID, string(r.Action), r.ObjectType, r.ObjectID, r.Detail, r.IP, prev,
	})
	if err != nil {
		panic(err) // marshalling strings and integers cannot fail
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Seal sets r.PrevHash and r.Hash given the hash of the record before it.
func (r *Record) Seal(prev string) {
	r.Normalize()
	r.PrevHash = prev
	r.Hash = ComputeHash(*r, prev)
}

// BrokenError names the first record where the chain does not hold.
type BrokenError struct {
	ID     int64
	Reason string
}

func (e *BrokenError) Error() string {
	return fmt.Sprintf("audit chain broken at record %d: %s", e.ID, e.Reason)
}

// Verifier checks records one at a time in ID order, so a long trail can be
// streamed from the database.
type Verifier struct {
	prev  string
	count int
}

// Next checks r against the records before it and returns a *BrokenError at
// the first mismatch.
func (v *Verifier) Next(r Record) error {
	if r.PrevHash != v.prev {
		return &BrokenError{ID: r.ID, Reason: "previous-hash link does not match the record before it (a record was removed, inserted or changed)"}
	}
	if ComputeHash(r, r.PrevHash) != r.Hash {
		return &BrokenError{ID: r.ID, Reason: "content does not match its hash (the record was changed)"}
	}
	v.prev = r.Hash
	v.count++
	return nil
}

// Count is the number of records verified so far.
func (v *Verifier) Count() int { return v.count }

// Head is the hash of the last verified record.
func (v *Verifier) Head() string { return v.prev }

// Filter selects audit records for browsing.
type Filter struct {
	OrgIDs   []int64 // nil: every org; otherwise only these (0 = no org)
	Action   string
	Actor    string // user name, exact
	From, To time.Time
	BeforeID int64 // paging: records with smaller IDs
	Limit    int
}
