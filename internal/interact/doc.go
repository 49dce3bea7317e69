// Package interact is public interaction (公众互动): the messages citizens
// leave (questions 咨询, suggestions 建议, complaints 投诉, requests for help
// 求助, and remarks about the bureau's disclosure work), their handling by
// staff (triage, assignment to a section, a reply drafted by a handler and
// approved by the section head), the reply deadline in working days, the
// publication of answers with the sender's consent and personal data
// masked, satisfaction ratings, consultations on draft documents (意见征集)
// with moderated comments and a feedback summary, and the statistics the
// annual report and the dashboard need.
//
// The rules (state machine, deadlines, validation, what may be published)
// are pure functions; Service performs each step with its permission check
// and audit record in one transaction through the Tx interface that
// internal/store implements. The package is a domain package: it imports
// workday, screening, account, audit, job and apperr, never storage or
// HTTP.
//
// The national website inspection indicators (国办秘函〔2019〕19号, see
// shared/REGULATIONS.md §5.2) fail a whole site — a single-veto item,
// 互动回应差 — when a consultation channel leaves valid messages unanswered
// for more than three months within the year before the check; the per-org
// reply deadline (default 5 working days) keeps every message far inside
// that limit, and Stale marks those that approach it.
package interact
