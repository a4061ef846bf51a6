"""Outcome measurement: standard instruments scored as published, paired change, disclosure control.

Public API (pure Python; no database):
- instruments: INSTRUMENTS, get_instrument, custom_instrument, meaningful_change, item_wording
- scoring: score_response(instrument, answers) -> Score
- statistics: pair_by_participant, paired_change, suppress_counts, suppress_count, wellby_value
- batch: score_csv, analyse_csv (behind `culturehub outcomes score|analyse`)
Rules and sources: docs/decisions/0007-outcome-measurement.md.
"""
