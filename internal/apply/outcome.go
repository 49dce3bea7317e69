package apply

import (
	"slices"

	"gongkai/internal/workday"
)

// State is where an application is in its handling (登记→审核→办理→答复→归档,
// 条例 art. 45).
type State string

const (
	StatePending    State = "pending"    // submitted online; receipt not yet confirmed
	StateOpen       State = "open"       // received; the clock runs
	StateCorrection State = "correction" // awaiting the applicant's correction
	StateConsulting State = "consulting" // a consultation is open
	StateAnswered   State = "answered"   // answered; not yet delivered
	StateClosed     State = "closed"     // answered and delivered
)

// Label is the state's name.
func (s State) Label() string {
	switch s {
	case StatePending:
		return "待确认"
	case StateOpen:
		return "办理中"
	case StateCorrection:
		return "待补正"
	case StateConsulting:
		return "征求意见中"
	case StateAnswered:
		return "已答复"
	case StateClosed:
		return "已办结"
	}
	return string(s)
}

// States lists the states for filters.
func States() []State {
	return []State{StatePending, StateOpen, StateCorrection, StateConsulting, StateAnswered, StateClosed}
}

// StateOf derives the state from the clock and whether the reply was
// delivered.
func StateOf(c Clock, delivered bool) State {
	switch {
	case !c.Answered.IsZero() && delivered:
		return StateClosed
	case !c.Answered.IsZero():
		return StateAnswered
	case c.Received.IsZero():
		return StatePending
	case c.AwaitingCorrection:
		return StateCorrection
	case c.Consulting:
		return StateConsulting
	}
	return StateOpen
}

// Category is the kind of answer, the groups of rows 三（一）–（六） of the
// national report's table (REGULATIONS.md §2.3; 条例 art. 36).
type Category string

const (
	CatDisclosed    Category = "disclosed"     // （一）予以公开
	CatPartial      Category = "partial"       // （二）部分公开
	CatRefused      Category = "refused"       // （三）不予公开
	CatUnavailable  Category = "unavailable"   // （四）无法提供
	CatNotProcessed Category = "not_processed" // （五）不予处理
	CatOther        Category = "other"         // （六）其他处理
)

// Categories lists the categories in report order.
func Categories() []Category {
	return []Category{CatDisclosed, CatPartial, CatRefused, CatUnavailable, CatNotProcessed, CatOther}
}

// Label is the category's name as the report prints it.
func (c Category) Label() string {
	switch c {
	case CatDisclosed:
		return "予以公开"
	case CatPartial:
		return "部分公开"
	case CatRefused:
		return "不予公开"
	case CatUnavailable:
		return "无法提供"
	case CatNotProcessed:
		return "不予处理"
	case CatOther:
		return "其他处理"
	}
	return string(c)
}

// ReportLabel is the category's row label in the report, with its number.
func (c Category) ReportLabel() string {
	switch c {
	case CatDisclosed:
		return "（一）予以公开"
	case CatPartial:
		return "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
	case CatRefused:
		return "（三）不予公开"
	case CatUnavailable:
		return "（四）无法提供"
	case CatNotProcessed:
		return "（五）不予处理"
	case CatOther:
		return "（六）其他处理"
	}
	return string(c)
}

// Valid reports whether c is a known category.
func (c Category) Valid() bool { return slices.Contains(Categories(), c) }

// Reason is the sub-reason of a category: one row of the report under
// （三）–（六）. Values are unique across categories.
type Reason string

// ReasonInfo describes a sub-reason: its row label verbatim from the
// national template (REGULATIONS.md §2.3) and the 条例 article behind it
// (the cross-walk of REGULATIONS.md §1.6; empty where the text names none).
type ReasonInfo struct {
	Reason   Reason
	Category Category
	Label    string
	Basis    string
}

const (
	RefusedStateSecret Reason = "state_secret"
	RefusedByLaw       Reason = "forbidden_by_law"
	RefusedSecurity    Reason = "three_security"
	RefusedThirdParty  Reason = "third_party"
	RefusedInternal    Reason = "internal_affairs"
	RefusedProcess     Reason = "process_info"
	RefusedEnforcement Reason = "enforcement_file"
	RefusedQuery       Reason = "admin_query"

	UnavailableNotHeld Reason = "not_held"
	UnavailableCreate  Reason = "needs_creation"
	UnavailableUnclear Reason = "still_unclear"
	NotProcPetition    Reason = "petition"
	NotProcRepeated    Reason = "repeated"
	NotProcPublication Reason = "publication"
	NotProcExcessive   Reason = "excessive"
	NotProcConfirm     Reason = "confirm_reissue"
	OtherNotCorrected  Reason = "not_corrected"
	OtherFeeUnpaid     Reason = "fee_unpaid"
	OtherOther         Reason = "other"
)

var reasons = []ReasonInfo{
	// 条例 arts. 14–16 and 36(7) → 三（三）1–8.
	{RefusedStateSecret, CatRefused, "1.属于国家秘密", "《中华人民共和国政府信息公开条例》第十四条"},
	{RefusedByLaw, CatRefused, "2.其他法律行政法规禁止公开", "《中华人民共和国政府信息公开条例》第十四条"},
	{RefusedSecurity, CatRefused, "3.危及“三安全一稳定”", "《中华人民共和国政府信息公开条例》第十四条"},
	{RefusedThirdParty, CatRefused, "4.保护第三方合法权益", "《中华人民共和国政府信息公开条例》第十五条、第三十二条"},
	{RefusedInternal, CatRefused, "5.属于三类内部事务信息", "《中华人民共和国政府信息公开条例》第十六条第一款"},
	{RefusedProcess, CatRefused, "6.属于四类过程性信息", "《中华人民共和国政府信息公开条例》第十六条第二款"},
	{RefusedEnforcement, CatRefused, "7.属于行政执法案卷", "《中华人民共和国政府信息公开条例》第十六条第二款"},
	{RefusedQuery, CatRefused, "8.属于行政查询事项", "《中华人民共和国政府信息公开条例》第三十六条第七项"},
	// 条例 arts. 36(4)(5), 38, 30 → 三（四）1–3.
	{UnavailableNotHeld, CatUnavailable, "1.本机关不掌握相关政府信息", "《中华人民共和国政府信息公开条例》第三十六条第四项、第五项"},
	{UnavailableCreate, CatUnavailable, "2.没有现成信息需要另行制作", "《中华人民共和国政府信息公开条例》第三十八条"},
	{UnavailableUnclear, CatUnavailable, "3.补正后申请内容仍不明确", "《中华人民共和国政府信息公开条例》第三十条"},
	// 条例 arts. 39, 36(6), 35 → 三（五）1–5. Row 5 has no article in the
	// cross-walk; the notice template names none (REGULATIONS.md §1.6 [U]).
	{NotProcPetition, CatNotProcessed, "1.信访举报投诉类申请", "《中华人民共和国政府信息公开条例》第三十九条第一款"},
	{NotProcRepeated, CatNotProcessed, "2.重复申请", "《中华人民共和国政府信息公开条例》第三十六条第六项"},
	{NotProcPublication, CatNotProcessed, "3.要求提供公开出版物", "《中华人民共和国政府信息公开条例》第三十九条第二款"},
	{NotProcExcessive, CatNotProcessed, "4.无正当理由大量反复申请", "《中华人民共和国政府信息公开条例》第三十五条"},
	{NotProcConfirm, CatNotProcessed, "5.要求行政机关确认或重新出具已获取信息", ""},
	// 条例 arts. 30, 42 → 三（六）1–3.
	{OtherNotCorrected, CatOther, "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "《中华人民共和国政府信息公开条例》第三十条"},
	{OtherFeeUnpaid, CatOther, "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "《中华人民共和国政府信息公开条例》第四十二条"},
	{OtherOther, CatOther, "3.其他", ""},
}

// Reasons returns the sub-reasons of category c in report order; none for
// 予以公开 and 部分公开.
func Reasons(c Category) []ReasonInfo {
	var out []ReasonInfo
	for _, r := range reasons {
		if r.Category == c {
			out = append(out, r)
		}
	}
	return out
}

// Info returns the description of reason r.
func (r Reason) Info() (ReasonInfo, bool) {
	for _, x := range reasons {
		if x.Reason == r {
			return x, true
		}
	}
	return ReasonInfo{}, false
}

// Label is the reason's row label, or "" for none.
func (r Reason) Label() string {
	i, _ := r.Info()
	return i.Label
}

// Outcome is how an application was answered.
type Outcome struct {
	Category   Category
	Reason     Reason       // required for （三）–（六）, empty otherwise
	Note       string       // reasons and particulars for the reply notice
	AnsweredOn workday.Date // the day the reply was issued (posted, for mailed replies: 国办公开办函〔2016〕235号)
}

// IsZero reports whether no outcome was recorded.
func (o Outcome) IsZero() bool { return o.Category == "" }

// Basis is the legal basis cited in the reply notice.
func (o Outcome) Basis() string {
	if i, ok := o.Reason.Info(); ok && i.Basis != "" {
		return i.Basis
	}
	switch o.Category {
	case CatDisclosed:
		return "《中华人民共和国政府信息公开条例》第三十六条第一项、第二项"
	case CatPartial:
		return "《中华人民共和国政府信息公开条例》第三十七条"
	}
	return "《中华人民共和国政府信息公开条例》"
}

// ReportRow is the row label of the report under which the outcome is
// counted, e.g. "（三）不予公开 4.保护第三方合法权益".
func (o Outcome) ReportRow() string {
	if l := o.Reason.Label(); l != "" {
		return o.Category.ReportLabel() + " " + l
	}
	return o.Category.ReportLabel()
}

func (o Outcome) validate() map[string]string {
	errs := map[string]string{}
	if !o.Category.Valid() {
		errs["category"] = "请选择处理结果"
		return errs
	}
	rs := Reasons(o.Category)
	if len(rs) == 0 {
		if o.Reason != "" {
			errs["reason"] = "“" + o.Category.Label() + "”不需要选择具体情形"
		}
	} else if i, ok := o.Reason.Info(); !ok || i.Category != o.Category {
		errs["reason"] = "请选择“" + o.Category.Label() + "”的具体情形"
	}
	if o.AnsweredOn.IsZero() {
		errs["answered_on"] = "请填写答复日期"
	}
	if (o.Category == CatRefused || o.Category == CatPartial) && o.Note == "" {
		// 条例 art. 36(3) and art. 37: refusals and withheld parts must
		// state reasons.
		errs["note"] = "不予公开或部分公开的，应当说明理由"
	}
	return errs
}
