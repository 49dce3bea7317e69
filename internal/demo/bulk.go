package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Generated items for load tests and benchmarks: realistic Chinese titles
// and bodies built from the vocabulary of a civil affairs bureau, so that
// page sizes, search terms and catalog filters behave as on a real site.

var (
	bulkSubjects = []string{"城乡最低生活保障", "特困人员救助供养", "临时救助", "养老服务设施", "社区治理", "婚姻登记", "殡葬改革",
		"社会组织登记", "慈善捐赠", "地名普查", "行政区划调整", "儿童福利", "残疾人两项补贴", "高龄津贴", "防汛救灾", "精准扶贫",
		"政务公开", "政府信息公开", "居家养老", "社会工作人才队伍"}
	bulkKinds = []string{"通知", "公告", "意见", "工作动态", "办事指南", "规范性文件"}
	bulkVerbs = []string{"关于做好", "关于开展", "关于印发", "关于进一步加强", "关于调整", "关于公布"}
	bulkTails = []string{"工作的通知", "情况的公告", "实施方案的通知", "有关事项的通知", "专项行动的通知", "结果的公示"}
	sentences []string
)

func init() {
	for _, line := range strings.Split(report2017, "\n") {
		for _, s := range strings.Split(line, "。") {
			if s = strings.TrimSpace(s); len([]rune(s)) > 8 {
				sentences = append(sentences, s+"。")
			}
		}
	}
}

// BulkItem is one generated item.
type BulkItem struct {
	Title, Summary, Body, Genre, DocNo string
}

// GenerateItem returns the i-th generated item; the same i always gives
// the same item.
func GenerateItem(i int) BulkItem {
	r := rand.New(rand.NewPCG(uint64(i), 0x9e3779b97f4a7c15))
	subject := bulkSubjects[r.IntN(len(bulkSubjects))]
	genre := bulkKinds[r.IntN(len(bulkKinds))]
	title := bulkVerbs[r.IntN(len(bulkVerbs))] + subject + bulkTails[r.IntN(len(bulkTails))]
	var b strings.Builder
	paras := 3 + r.IntN(6)
	for p := 0; p < paras; p++ {
		b.WriteString("<p>")
		if p == 0 {
			b.WriteString("为进一步做好" + subject + "工作，")
		}
		for s := 0; s < 2+r.IntN(4); s++ {
			b.WriteString(sentences[r.IntN(len(sentences))])
		}
		b.WriteString("</p>")
	}
	it := BulkItem{Title: title, Summary: "本文件就" + subject + "有关事项作出规定。", Body: b.String(), Genre: genre}
	if genre == "规范性文件" || genre == "通知" {
		it.DocNo = fmt.Sprintf("随民发〔%d〕%d号", 2017+i%10, 1+i%300)
	}
	return it
}
