package export

import (
	"fmt"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"

	"gongkai/internal/report"
)

// sheetNames are the worksheet names of the three tables.
var sheetNames = []string{"二、主动公开", "三、依申请公开", "四、复议诉讼"}

// XLSX writes the three tables of d as an .xlsx workbook, one worksheet
// per table, with the template's merged header cells, counts stored as
// numbers, and the staff-entered figures with their sources under the
// tables.
func XLSX(w io.Writer, d *Doc) error {
	f := excelize.NewFile()
	defer f.Close() // the workbook lives in memory; Close only drops temporary files
	border := []excelize.Border{{Type: "left", Color: "000000", Style: 1}, {Type: "top", Color: "000000", Style: 1},
		{Type: "right", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1}}
	font := &excelize.Font{Family: "宋体", Size: 10}
	labelStyle, err := f.NewStyle(&excelize.Style{Border: border, Font: font,
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}})
	if err != nil {
		return fmt.Errorf("xlsx style: %w", err)
	}
	valueStyle, err := f.NewStyle(&excelize.Style{Border: border, Font: font,
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}})
	if err != nil {
		return fmt.Errorf("xlsx style: %w", err)
	}
	titleStyle, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Family: "黑体", Size: 14, Bold: true}})
	if err != nil {
		return fmt.Errorf("xlsx style: %w", err)
	}
	for i, g := range d.Report.Grids() {
		name := sheetNames[i]
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return err
		}
		if err := f.SetCellValue(name, "A1", d.Title()+" "+g.Heading); err != nil {
			return err
		}
		if err := f.SetCellStyle(name, "A1", "A1", titleStyle); err != nil {
			return err
		}
		placed, err := g.Place()
		if err != nil {
			return err
		}
		const top = 3 // the table starts on row 3, under the title
		for _, p := range placed {
			tl, _ := excelize.CoordinatesToCellName(p.Col+1, p.Row+top)
			br, _ := excelize.CoordinatesToCellName(p.Col+p.ColSpan, p.Row+p.RowSpan-1+top)
			style := labelStyle
			if p.Key != "" {
				style = valueStyle
				v := d.Report.Values[p.Key]
				if p.Key == report.KeyFees {
					amount, perr := strconv.ParseFloat(v.Text, 64)
					if perr != nil {
						return fmt.Errorf("xlsx fees %q: %w", v.Text, perr)
					}
					err = f.SetCellFloat(name, tl, amount, -1, 64)
				} else {
					err = f.SetCellInt(name, tl, v.N)
				}
			} else {
				err = f.SetCellStr(name, tl, p.Text)
			}
			if err != nil {
				return err
			}
			if tl != br {
				if err := f.MergeCell(name, tl, br); err != nil {
					return err
				}
			}
			if err := f.SetCellStyle(name, tl, br, style); err != nil {
				return err
			}
		}
		// Column widths: labels wide, numbers narrow.
		switch i {
		case 0:
			_ = f.SetColWidth(name, "A", "A", 22) // errors only for invalid column names
			_ = f.SetColWidth(name, "B", "D", 16)
		case 1:
			_ = f.SetColWidth(name, "A", "A", 8)
			_ = f.SetColWidth(name, "B", "B", 12)
			_ = f.SetColWidth(name, "C", "C", 40)
			_ = f.SetColWidth(name, "D", "J", 11)
		case 2:
			_ = f.SetColWidth(name, "A", "O", 9)
		}
		row := top + len(g.Rows) + 1
		for _, k := range d.Report.Manual() {
			if !belongs(i, k) {
				continue
			}
			v := d.Report.Values[k]
			cell, _ := excelize.CoordinatesToCellName(1, row)
			if err := f.SetCellStr(name, cell, fmt.Sprintf("注：%s 由工作人员填报，来源：%s", report.CellName(k), v.Source)); err != nil {
				return err
			}
			row++
		}
	}
	f.SetActiveSheet(0)
	return f.Write(w)
}

// belongs reports whether cell key is in table i (0: 二, 1: 三, 2: 四).
func belongs(i int, key string) bool {
	return len(key) > 0 && key[0] == "234"[i]
}
