package report

import (
	"fmt"
	"strings"
)

// Section headings of the template (REGULATIONS.md §2.1).
const (
	HeadOverview  = "一、总体情况"
	HeadActive    = "二、主动公开政府信息情况"
	HeadRequests  = "三、收到和处理政府信息公开申请情况"
	HeadCases     = "四、政府信息公开行政复议、行政诉讼情况"
	HeadProblems  = "五、存在的主要问题及改进情况"
	HeadOtherNote = "六、其他需要报告的事项"
)

// GridCell is a cell of a printed table. A cell with ColSpan or RowSpan
// above 1 covers further grid positions; the rows below leave the
// positions a RowSpan covers out, as HTML and the docx writer do.
type GridCell struct {
	Text    string
	ColSpan int // 1 or more
	RowSpan int // 1 or more
	Header  bool
	// Key is the cell key of a value cell; empty for labels.
	Key string
}

// Grid is one table of the template laid out as printed.
type Grid struct {
	Heading string
	Columns int
	Rows    [][]GridCell
}

func label(text string, cs, rs int) GridCell {
	return GridCell{Text: text, ColSpan: cs, RowSpan: rs, Header: true}
}

func (r *Report) value(key string, cs int) GridCell {
	return GridCell{Text: r.Values[key].Text, ColSpan: cs, RowSpan: 1, Key: key}
}

// Grids returns the three tables as printed, with the report's values.
func (r *Report) Grids() []Grid {
	return []Grid{r.activeGrid(), r.requestGrid(), r.caseGrid()}
}

func (r *Report) activeGrid() Grid {
	g := Grid{Heading: HeadActive, Columns: 4}
	add := func(cells ...GridCell) { g.Rows = append(g.Rows, cells) }
	add(label("第二十条第（一）项", 4, 1))
	add(label("信息内容", 1, 1), label("本年制发件数", 1, 1), label("本年废止件数", 1, 1), label("现行有效件数", 1, 1))
	add(label("规章", 1, 1), r.value(KeyRulesIssued, 1), r.value(KeyRulesRepealed, 1), r.value(KeyRulesValid, 1))
	add(label("行政规范性文件", 1, 1), r.value(KeyNormativeIssued, 1), r.value(KeyNormativeRepealed, 1), r.value(KeyNormativeValid, 1))
	add(label("第二十条第（五）项", 4, 1))
	add(label("信息内容", 1, 1), label("本年处理决定数量", 3, 1))
	add(label("行政许可", 1, 1), r.value(KeyLicensing, 3))
	add(label("第二十条第（六）项", 4, 1))
	add(label("信息内容", 1, 1), label("本年处理决定数量", 3, 1))
	add(label("行政处罚", 1, 1), r.value(KeyPenalty, 3))
	add(label("行政强制", 1, 1), r.value(KeyCoercion, 3))
	add(label("第二十条第（八）项", 4, 1))
	add(label("信息内容", 1, 1), label("本年收费金额（单位：万元）", 3, 1))
	add(label("行政事业性收费", 1, 1), r.value(KeyFees, 3))
	return g
}

// Note is the top-left cell of table 三.
const Note = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

func (r *Report) requestGrid() Grid {
	g := Grid{Heading: HeadRequests, Columns: 10}
	g.Rows = append(g.Rows,
		[]GridCell{label(Note, 3, 3), label("申请人情况", 7, 1)},
		[]GridCell{label("自然人", 1, 2), label("法人或其他组织", 5, 1), label("总计", 1, 2)},
		[]GridCell{label("商业企业", 1, 1), label("科研机构", 1, 1), label("社会公益组织", 1, 1), label("法律服务机构", 1, 1), label("其他", 1, 1)},
	)
	values := func(key string) []GridCell {
		var out []GridCell
		for _, a := range Applicants() {
			out = append(out, r.value(RequestKey(key, a), 1))
		}
		return out
	}
	rows := RequestRows()
	groupSize := map[string]int{}
	for _, row := range rows {
		if row.Group != "" {
			groupSize[row.Group]++
		}
	}
	under3 := 0
	for _, row := range rows {
		if row.Outcome || row.Key == RowHandled {
			under3++
		}
	}
	seenGroup := map[string]bool{}
	first3 := true
	for _, row := range rows {
		var cells []GridCell
		switch {
		case row.Key == RowNew || row.Key == RowCarriedIn || row.Key == RowCarriedOut:
			cells = append(cells, label(row.Label, 3, 1))
		default:
			if first3 {
				cells = append(cells, label("三、本年度办理结果", 1, under3))
				first3 = false
			}
			if row.Group == "" {
				cells = append(cells, label(row.Label, 2, 1))
			} else {
				if !seenGroup[row.Group] {
					cells = append(cells, label(row.Group, 1, groupSize[row.Group]))
					seenGroup[row.Group] = true
				}
				cells = append(cells, label(row.Label, 1, 1))
			}
		}
		g.Rows = append(g.Rows, append(cells, values(row.Key)...))
	}
	return g
}

func (r *Report) caseGrid() Grid {
	g := Grid{Heading: HeadCases, Columns: 15}
	results := func() []GridCell {
		var out []GridCell
		for _, res := range CaseResults() {
			out = append(out, label(res.Label(), 1, 1))
		}
		return out
	}
	row2 := []GridCell{}
	for _, res := range CaseResults() {
		row2 = append(row2, label(res.Label(), 1, 2))
	}
	row2 = append(row2, label("未经复议直接起诉", 5, 1), label("复议后起诉", 5, 1))
	var values []GridCell
	for _, k := range CaseKinds() {
		for _, res := range CaseResults() {
			values = append(values, r.value(CaseKey(k, res), 1))
		}
	}
	g.Rows = [][]GridCell{
		{label("行政复议", 5, 1), label("行政诉讼", 10, 1)},
		row2,
		append(results(), results()...),
		values,
	}
	return g
}

// Placed is a grid cell with its position (0-based) in the grid.
type Placed struct {
	GridCell
	Row, Col int
}

// Place gives every cell of g its row and column, skipping positions that
// a row span above covers. It reports an error if a row does not fill the
// grid exactly, which would be a bug in the layout.
func (g Grid) Place() ([]Placed, error) {
	taken := make([][]bool, len(g.Rows))
	for i := range taken {
		taken[i] = make([]bool, g.Columns)
	}
	var out []Placed
	for i, row := range g.Rows {
		col := 0
		for _, c := range row {
			for col < g.Columns && taken[i][col] {
				col++
			}
			if col+c.ColSpan > g.Columns || i+c.RowSpan > len(g.Rows) {
				return nil, fmt.Errorf("report: %s row %d: cell %q overflows the grid", g.Heading, i+1, c.Text)
			}
			for dr := range c.RowSpan {
				for dc := range c.ColSpan {
					if taken[i+dr][col+dc] {
						return nil, fmt.Errorf("report: %s row %d: cell %q overlaps", g.Heading, i+1, c.Text)
					}
					taken[i+dr][col+dc] = true
				}
			}
			out = append(out, Placed{GridCell: c, Row: i, Col: col})
			col += c.ColSpan
		}
		for _, t := range taken[i] {
			if !t {
				return nil, fmt.Errorf("report: %s row %d: grid not filled", g.Heading, i+1)
			}
		}
	}
	return out, nil
}

// Text renders g as plain text, one line per row, cells separated by " | "
// and spans marked, for golden files and diffs.
func (g Grid) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%d columns)\n", g.Heading, g.Columns)
	for _, row := range g.Rows {
		for j, c := range row {
			if j > 0 {
				b.WriteString(" | ")
			}
			b.WriteString(c.Text)
			if c.ColSpan > 1 || c.RowSpan > 1 {
				fmt.Fprintf(&b, " {%dx%d}", c.RowSpan, c.ColSpan)
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// CellName describes cell key in Chinese for lists of overridden figures,
// e.g. "三、自然人 / 一、本年新收政府信息公开申请数量".
func CellName(key string) string {
	switch key {
	case KeyRulesIssued:
		return "二、规章 / 本年制发件数"
	case KeyRulesRepealed:
		return "二、规章 / 本年废止件数"
	case KeyRulesValid:
		return "二、规章 / 现行有效件数"
	case KeyNormativeIssued:
		return "二、行政规范性文件 / 本年制发件数"
	case KeyNormativeRepealed:
		return "二、行政规范性文件 / 本年废止件数"
	case KeyNormativeValid:
		return "二、行政规范性文件 / 现行有效件数"
	case KeyLicensing:
		return "二、行政许可 / 本年处理决定数量"
	case KeyPenalty:
		return "二、行政处罚 / 本年处理决定数量"
	case KeyCoercion:
		return "二、行政强制 / 本年处理决定数量"
	case KeyFees:
		return "二、行政事业性收费 / 本年收费金额（单位：万元）"
	}
	for _, row := range RequestRows() {
		for _, a := range Applicants() {
			if RequestKey(row.Key, a) == key {
				return "三、" + row.Group + row.Label + " / " + a.Label()
			}
		}
	}
	for _, k := range CaseKinds() {
		for _, res := range CaseResults() {
			if CaseKey(k, res) == key {
				return "四、" + k.Label() + " / " + res.Label()
			}
		}
	}
	return key
}
