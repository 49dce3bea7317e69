// Package apply is disclosure on application (依申请公开): the Application a
// citizen or organisation files, the channels by which it arrives and the
// date each makes the date of receipt (条例 art. 31), the statutory reply
// clock in working days with its correction notices, consultations and
// extension (条例 arts. 30, 32–34), the outcomes of the national annual
// report template (REGULATIONS.md §2.3), reply notices (告知书), the
// reconsideration and litigation cases that follow (§2.4), and the Service
// that performs each step with its permission check and audit record in one
// transaction.
//
// The clock is a pure function of an application's events, the working-day
// calendar and today's date (Compute); storage and HTTP call it. The package
// is a domain package: it imports workday, screening, account, audit, job
// and apperr, never storage or HTTP.
//
// "条例" in comments is the Regulations on Open Government Information
// (《中华人民共和国政府信息公开条例》, State Council Decree 711, 2019); the
// quotations are in shared/REGULATIONS.md §1.
package apply
