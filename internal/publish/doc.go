// Package publish is the heart of the disclosure website: items (信息、稿件)
// with immutable versions, the catalog metadata of the 政府信息公开目录
// (index number, document number, issuing organ, topic and genre, dates,
// validity, disclosure mode), the review workflow every item passes before
// it becomes public (draft → section review → confidentiality review →
// approved → published, then update, expire or repeal, withdraw), and the
// Service that runs each step in one transaction together with its audit
// record, its publication-log leaf and its follow-up jobs.
//
// The rules (Transition, Validate, IndexNo, Sanitize) are pure functions;
// storage is reached only through the Tx interface that internal/store
// implements. The package imports no storage or HTTP package.
package publish
