package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"gongkai/internal/inspect"
	"gongkai/internal/job"
)

// StartInspection records a running inspection of the org and enqueues
// the job that carries it out, in one transaction.
func (db *DB) StartInspection(ctx context.Context, orgID int64, cause string, by int64) (id int64, err error) {
	err = db.Update(ctx, func(tx *Tx) error {
		id, err = tx.insert(ctx, `INSERT INTO inspection_runs (org_id, state, cause, started_by, started_at) VALUES (?, ?, ?, ?, ?)`,
			orgID, inspect.RunRunning, cause, by, tx.t(tx.now))
		if err != nil {
			return err
		}
		b, _ := json.Marshal(inspect.RunPayload{RunID: id})
		return tx.Enqueue(ctx, job.Job{Kind: inspect.JobRun, Payload: b, MaxAttempts: 1})
	})
	if err != nil {
		return 0, fmt.Errorf("start inspection: %w", err)
	}
	return id, nil
}

// InspectionProgress records how far a running inspection has got.
func (db *DB) InspectionProgress(ctx context.Context, id int64, done, known int) error {
	return db.Update(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE inspection_runs SET done = ?, known = ? WHERE id = ? AND state = ?`, done, known, id, inspect.RunRunning)
		return err
	})
}

// FinishInspection stores a run's report, or its failure when failure is
// not empty.
func (db *DB) FinishInspection(ctx context.Context, id int64, r inspect.Report, failure string) error {
	return db.Update(ctx, func(tx *Tx) error {
		state := inspect.RunDone
		if failure != "" {
			state = inspect.RunFailed
		}
		var vetoes []string
		for _, v := range r.Vetoes {
			vetoes = append(vetoes, v.Rule+"："+v.Detail)
		}
		if _, err := tx.exec(ctx, `UPDATE inspection_runs SET state = ?, finished_at = ?, done = known, pages = ?, problems = ?, vetoed = ?, vetoes = ?, error = ? WHERE id = ?`,
			state, tx.t(tx.now), r.Pages, len(r.Problems), r.Failed(), strings.Join(vetoes, "\n"), failure, id); err != nil {
			return err
		}
		for _, p := range r.Problems {
			if _, err := tx.exec(ctx, `INSERT INTO inspection_problems (run_id, kind, location, detail, veto) VALUES (?, ?, ?, ?, ?)`,
				id, p.Kind, p.Where, p.Detail, p.Veto); err != nil {
				return err
			}
		}
		return nil
	})
}

const runCols = `id, org_id, state, cause, started_by, started_at, finished_at, done, known, pages, problems, vetoed, vetoes, error`

func scanRun(sc interface{ Scan(...any) error }) (inspect.Run, error) {
	var r inspect.Run
	var vetoes string
	err := sc.Scan(&r.ID, &r.OrgID, &r.State, &r.Cause, &r.StartedBy, timeCol{&r.StartedAt}, timeCol{&r.FinishedAt},
		&r.Done, &r.Known, &r.Pages, &r.Problems, &r.Vetoed, &vetoes, &r.Error)
	if vetoes != "" {
		r.Vetoes = strings.Split(vetoes, "\n")
	}
	return r, err
}

// InspectionRuns lists the runs of the given orgs, newest first.
func (db *DB) InspectionRuns(ctx context.Context, orgIDs []int64, limit int) (out []inspect.Run, err error) {
	if len(orgIDs) == 0 {
		return nil, nil
	}
	ph := strings.TrimSuffix(strings.Repeat("?, ", len(orgIDs)), ", ")
	args := make([]any, 0, len(orgIDs)+1)
	for _, id := range orgIDs {
		args = append(args, id)
	}
	args = append(args, limit)
	err = db.View(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT `+runCols+` FROM inspection_runs WHERE org_id IN (`+ph+`) ORDER BY started_at DESC, id DESC LIMIT ?`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			r, err := scanRun(rows)
			if err != nil {
				return err
			}
			out = append(out, r)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("list inspection runs: %w", err)
	}
	return out, nil
}

// InspectionRun returns a run with its problems.
func (db *DB) InspectionRun(ctx context.Context, id int64) (run *inspect.Run, problems []inspect.Problem, err error) {
	err = db.View(ctx, func(tx *Tx) error {
		r, err := scanRun(tx.queryRow(ctx, `SELECT `+runCols+` FROM inspection_runs WHERE id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("inspection run", id)
		}
		if err != nil {
			return err
		}
		run = &r
		rows, err := tx.query(ctx, `SELECT kind, location, detail, veto FROM inspection_problems WHERE run_id = ? ORDER BY id`, id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var p inspect.Problem
			if err := rows.Scan(&p.Kind, &p.Where, &p.Detail, &p.Veto); err != nil {
				return err
			}
			problems = append(problems, p)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, nil, fmt.Errorf("inspection run %d: %w", id, err)
	}
	return run, problems, nil
}
