"""Consistency with round one: the story matched, each difference found and quoted from both rounds."""

from __future__ import annotations

from grading_support import consistency_pairs, grade, rubrics

from simulator.grading.evaluation import evaluate_consistency

ROUND_ONE_QUESTION = "Tell me about a project you're proud of."
ROUND_ONE = (
    "At my last company, a travel booking site, I was the tech lead on a team of five engineers that "
    "moved our "
    "payments service from Oracle to Postgres. That was in Q3 2021. The migration took about six "
    "weeks, and we "
    "ran both databases side by side so we could compare every transaction. I wrote the "
    "reconciliation job. In "
    "the end we cut p95 latency on payment calls by 30% and we launched on time with no lost transactions."
)
OTHER_STORY = (
    "Tell me about a disagreement.",
    "Our PM wanted to ship a loyalty feature with every option, and I thought we'd miss the date. I "
    "suggested a "
    "minimal version with points and redemption only, we shipped it in three weeks and added tiers later.",
)


def retell(answer: str, question: str = "Tell me about a technical challenge.", **kw):  # type: ignore[no-untyped-def]
    return grade(question, answer, round_one=[(ROUND_ONE_QUESTION, ROUND_ONE), OTHER_STORY], **kw)


def problems(g):  # type: ignore[no-untyped-def]
    return [(f.kind, f.category) for f in g.consistency.findings if f.kind != "elaboration"]


def test_a_bigger_team_is_an_embellishment_quoting_both_rounds() -> None:
    answer = (
        "At the booking site I led the Postgres migration for payments. I had a team of twelve "
        "engineers, and we "
        "moved everything over from Oracle in about six weeks. We cut latency on payment calls by 30%."
    )
    g = retell(answer)
    assert g.consistency.matched_round_one == ROUND_ONE_QUESTION
    assert problems(g) == [("embellishment", "team_size")]  # a bigger team of their own flatters
    finding = g.consistency.findings[0]
    assert "a team of twelve engineers" in finding.round_two_quote and finding.round_two_quote in answer
    assert "a team of five engineers" in finding.round_one_quote and finding.round_one_quote in ROUND_ONE
    assert "five" in finding.explanation and "twelve" in finding.explanation
    assert g.round_one_conflicts() == [finding]  # what the orchestrator's follow-up reads


def test_a_clean_retelling_in_other_words_is_consistent() -> None:
    answer = (
        "So at the travel company I was the tech lead moving payments off Oracle onto Postgres, with five "
        "engineers. It was a six-week migration in the third quarter of 2021. I wrote a "
        "reconciliation job that "
        "compared every transaction while both databases ran in parallel. We launched on time, p95 "
        "latency on "
        "payment calls came down about 32 percent, and we also cut the payment error rate by 10%."
    )
    g = retell(answer)
    assert g.consistency.matched_round_one == ROUND_ONE_QUESTION
    assert problems(g) == []
    # The new figure is recorded as an elaboration, not raised as a problem.
    assert any(f.kind == "elaboration" and "10%" in f.round_two_quote for f in g.consistency.findings)


def test_numbers_in_words_match_numbers_in_digits() -> None:
    answer = (
        "The payments migration at the booking site: a five-person team, me as tech lead, Oracle to "
        "Postgres in "
        "Q3 2021. It took around a month and a half. We launched on time and latency dropped by "
        "thirty percent."
    )
    assert problems(retell(answer)) == []


def test_a_bigger_result_is_an_embellishment() -> None:
    answer = (
        "At the travel site I was tech lead on the payments move from Oracle to Postgres with five "
        "engineers in "
        "Q3 2021. I wrote the reconciliation job, and we cut p95 latency on payment calls by 60%."
    )
    g = retell(answer)
    assert problems(g) == [("embellishment", "number")]
    assert (
        "60%" in g.consistency.findings[0].round_two_quote
        and "30%" in g.consistency.findings[0].round_one_quote
    )


def test_a_more_senior_role_is_an_embellishment_and_a_changed_year_a_contradiction() -> None:
    answer = (
        "Back in 2023, as the engineering manager for payments at the travel site, I ran the move "
        "from Oracle to "
        "Postgres with five engineers. We launched on time and cut latency by 30%."
    )
    assert sorted(problems(retell(answer))) == [("contradiction", "date"), ("embellishment", "role")]


def test_a_longer_migration_and_another_database_are_contradictions() -> None:
    longer = retell(
        "The payments migration at the travel site, five engineers, me as tech lead, Q3 2021: it took about "
        "three months. We launched on time and cut latency by 30%."
    )
    assert problems(longer) == [("contradiction", "duration")]
    other_db = retell(
        "At the travel booking site I was tech lead when we moved our payments service from Oracle to MySQL, "
        "with five engineers, in Q3 2021. We cut p95 latency by 30%."
    )
    assert problems(other_db) == [("contradiction", "other")]
    assert "MySQL" in other_db.consistency.findings[0].round_two_quote


def test_an_opposite_outcome_is_a_contradiction() -> None:
    g = grade(
        "Tell me about a time you pushed back on a product decision.",
        "Our PM wanted every option in the loyalty feature and I was sure we'd miss the date, so I "
        "suggested a "
        "minimal version. In the end the loyalty feature was cancelled and we never shipped it.",
        round_one=[(ROUND_ONE_QUESTION, ROUND_ONE), OTHER_STORY],
    )
    assert g.consistency.matched_round_one == OTHER_STORY[0]
    assert problems(g) == [("contradiction", "outcome")]


def test_taking_credit_for_what_round_one_gave_to_someone_else_is_an_embellishment() -> None:
    round_one = [
        (
            "Tell me about a setback.",
            "Two weeks before the search relaunch, my manager decided to roll back the new ranking because "
            "conversion had dropped in the A/B test. I dug into the logs and found the bug, and we "
            "relaunched.",
        )
    ]
    g = grade(
        "Tell me about a failure.",
        "Two weeks before our search relaunch I decided to roll back the new ranking because conversion had "
        "dropped. I dug into the logs, found the bug and we relaunched a month later.",
        round_one=round_one,
    )
    assert problems(g) == [("embellishment", "other")]
    finding = g.consistency.findings[0]
    assert "my manager decided" in finding.round_one_quote and "I decided" in finding.round_two_quote


def test_a_missing_result_is_an_omission() -> None:
    g = retell(
        "At the travel site I was tech lead on moving payments from Oracle to Postgres with five "
        "engineers. I "
        "wrote the reconciliation job, and we ran both databases side by side to compare every transaction."
    )
    kinds = [f.kind for f in g.consistency.findings]
    assert "omission" in kinds and "contradiction" not in kinds


def test_a_different_story_is_not_matched_and_not_flagged() -> None:
    g = retell(
        "Last year I mentored a new graduate on our team. I paired with her twice a week for the first month "
        "and gave her small tickets. After three months she was running her own features.",
        question="Tell me about a time you mentored someone.",
    )
    assert g.consistency.matched_round_one is None
    assert g.consistency.findings == []


def test_round_one_notes_count_too() -> None:
    notes = "Told them about the onboarding redesign: team of 4, signups up 15%, I was the lead designer."
    changed = grade(
        "Tell me about a design project.",
        "I was the lead designer on the onboarding redesign with a team of nine, and signups went up 15%.",
        notes=notes,
    )
    assert changed.consistency.matched_round_one == "round-one notes"
    assert problems(changed) == [("embellishment", "team_size")]
    assert changed.consistency.findings[0].round_one_quote in notes
    same = grade(
        "Tell me about a redesign.",
        "I redesigned our onboarding with three other people, so four of us, as the lead designer, "
        "and signups "
        "went up about 15 percent.",
        notes=notes,
    )
    assert problems(same) == []


def test_no_round_one_means_no_findings() -> None:
    g = grade("Tell me about a project you're proud of.", ROUND_ONE)
    assert g.consistency.findings == [] and g.consistency.matched_round_one is None


def test_dev_set_contradiction_recall_and_false_flags_meet_the_targets() -> None:
    report = evaluate_consistency(consistency_pairs(), rubrics())
    assert report.labelled >= 34 and report.clean_pairs >= 10
    assert report.recall >= 0.9, report.misses
    assert report.false_flag_rate <= 0.05, report.misses
    assert report.match_accuracy >= 0.9, report.misses
    assert set(report.by_category) == {"number", "team_size", "date", "duration", "role", "outcome", "other"}


# ---------------------------------------------------------------- the same subject, or not compared

SCANNER_QUESTION = "Tell me about a project you led."
SCANNER_STORY = (
    "At Brackwell Logistics I led the rollout of handheld scanners across our four depots. Over about five "
    "months we replaced the paper pick lists, there were six of us on the project team, and mis-picks fell "
    "by 35%."
)
SUPPLIER = (
    "Tell me about a hard conversation.",
    "I had to tell a long-standing supplier we were moving half our volume to a competitor. I met them in "
    "person, we agreed a three-month transition, and they kept the other half.",
)


def scanners(answer: str, question: str = "Tell me about the scanner rollout.", **kw):  # type: ignore[no-untyped-def]
    return grade(question, answer, round_one=[(SCANNER_QUESTION, SCANNER_STORY), SUPPLIER], **kw)


def test_a_steps_duration_is_not_compared_with_the_whole_projects() -> None:
    # "Over about five months" is the project; "the first three weeks" and "a fortnight each" are steps.
    g = scanners(
        "the scanner rollout at Brackwell, yeah. so we piloted for the first three weeks at one depot, then "
        "ran a fortnight at each of the other three while the paper lists ran alongside, and the project team "
        "was six of us. mis-picks came down thirty-five percent."
    )
    assert g.consistency.matched_round_one == SCANNER_QUESTION
    assert problems(g) == []


def test_two_durations_of_the_whole_project_that_differ_contradict() -> None:
    g = scanners(
        "I led the scanner rollout at Brackwell across four depots, with a project team of six. The whole "
        "project took nine months because of hardware delays, and mis-picks fell by 35%."
    )
    assert problems(g) == [("contradiction", "duration")]
    finding = g.consistency.findings[0]
    assert "five months" in finding.explanation and "nine months" in finding.explanation


def test_another_teams_size_is_not_the_candidates_team() -> None:
    g = scanners(
        "For the scanner rollout at Brackwell the project team was six of us, but we leaned on a separate IT "
        "team of twelve who looked after the depot networks. Over five months all four depots went live and "
        "mis-picks dropped 35%."
    )
    assert problems(g) == []
    counted = scanners(
        "At Brackwell I led the handheld scanner rollout over about five months. It was me and eleven others "
        "on the project team, and mis-picks fell 35% across the four depots."
    )
    assert problems(counted) == [("embellishment", "team_size")]  # "me and eleven others" is twelve


def test_the_question_can_name_the_story_a_spoken_answer_skips() -> None:
    g = scanners(
        "yeah so, um, there were, like, ten of us on it in the end, and it took about five months, mostly "
        "because two of the depots had terrible wifi.",
        question="You mentioned the Brackwell scanner rollout. How big was the team?",
    )
    assert g.consistency.matched_round_one == SCANNER_QUESTION
    assert ("embellishment", "team_size") in problems(g)


def test_figures_of_different_things_are_not_compared() -> None:
    round_one = [
        (
            "Tell me about a success.",
            "In 2019 I joined the growth team at a meal-kit company. I redesigned the sign-up flow with our "
            "designer and conversion went up by 12%.",
        )
    ]
    g = grade(
        "Tell me about the sign-up redesign.",
        "The sign-up redesign at the meal-kit company launched in 2021. I cut the form from nine fields to "
        "four, we tested it against the old flow, and trial-to-paid retention improved by 3%.",
        round_one=round_one,
    )
    # 2019 is when the candidate joined, 2021 when the redesign launched; 12% is conversion, 3% retention.
    assert problems(g) == []


def test_money_said_in_words_is_compared_with_money_in_figures() -> None:
    round_one = [
        (
            "Tell me about saving money.",
            "I noticed we paid for three courier accounts across our sites. I consolidated them onto one "
            "contract and it saved about £10,000 a year.",
        )
    ]
    g = grade(
        "You mentioned consolidating the courier accounts.",
        "yeah, we had three courier accounts, one per site. I pulled a year of invoices, went out to tender "
        "with the volumes combined and put it all on one contract, and that saved us, like, over fifty grand "
        "a year.",
        round_one=round_one,
    )
    assert problems(g) == [("embellishment", "number")]


def test_an_unflattering_outcome_left_out_is_an_omission() -> None:
    round_one = [
        (
            "Tell me about a big project.",
            "I was project manager for a new 40-bed care home wing. We opened on the date we'd promised the "
            "families, but we went about 20% over budget because the groundworks found an old drain.",
        )
    ]
    dropped = grade(
        "How did you keep the care home wing on schedule?",
        "When the groundworks hit an old drain nobody knew about, I got the drainage engineer out the same "
        "day and re-sequenced the frame so work carried on elsewhere. We opened on the date we'd promised "
        "the families.",
        round_one=round_one,
    )
    assert problems(dropped) == [("omission", "outcome")]
    kept = grade(
        "How did you keep the care home wing on schedule?",
        "When the groundworks hit an old drain, I got the drainage engineer out the same day and "
        "re-sequenced the frame. We opened on the promised date, though about 20% over budget.",
        round_one=round_one,
    )
    assert problems(kept) == []


def test_repeating_round_ones_result_figure_tells_the_result() -> None:
    round_one = [
        (
            "Tell me about organising something complicated.",
            "I coordinated 85 volunteers over three weeks for our food bank's winter appeal, and we "
            "delivered 1,200 hampers.",
        )
    ]
    g = grade(
        "How did you keep track of all those volunteers?",
        "I built a shift sign-up sheet with one tab per warehouse, and volunteers picked their own slots. I "
        "checked the gaps every evening and texted regulars to fill them. We got 1,200 hampers out.",
        round_one=round_one,
    )
    assert problems(g) == []


def test_who_led_it_is_the_candidates_role() -> None:
    helped = [
        (
            "Tell me about some analysis.",
            "I helped build a churn model at the broadband company. The senior analyst designed it; I did "
            "the feature engineering and the validation.",
        )
    ]
    g = grade(
        "Walk me through the churn model.",
        "I led the churn model at the broadband company. I designed the approach, did the feature "
        "engineering and validated it on six months of customers.",
        round_one=helped,
    )
    assert problems(g) == [("embellishment", "role")]
    led = [
        (
            "Tell me about a rollout.",
            "I was the project lead for rolling out electronic observations on two surgical wards, and I "
            "ran the training for 60 nurses.",
        )
    ]
    g = grade(
        "Tell me about the electronic observations rollout.",
        "My ward manager led the rollout and I supported her as one of the super-users. Between us we ran "
        "the training for the 60 nurses across both wards.",
        round_one=led,
    )
    assert problems(g) == [("contradiction", "role")]
