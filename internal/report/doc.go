// Package report builds the statutory annual report on government
// information disclosure (政府信息公开工作年度报告) in the 2021 national
// template (国办公开办函〔2021〕30号; REGULATIONS.md §2): the three tables of
// parts 二, 三 and 四 with every label as the template prints it, the
// template's arithmetic checks, figures entered or overridden by staff with
// their source, and the narrative parts with a draft of 一、总体情况 written
// from the data.
//
// It is pure aggregation: inputs are plain structs of counts that the store
// (or a test) fills, and it never imports store, web or database/sql. The
// renderers for .xlsx and .docx live in report/export.
package report
