"""The situation is quoted from the story's circumstance, never from a clause that only names the
candidate's job ("I'm a maintenance planner at a bottling plant"): the label guides never count a job
title as a situation, and a coach quoting it back as "the situation" tells the candidate nothing."""

from __future__ import annotations

import pytest
from grading_support import grade

from simulator.grading.semantic import role_only

STORIES = [
    (
        "Tell me about a time you fixed a recurring problem.",
        "I'm a maintenance planner at a bottling plant outside Porto. Our labelling line was stopping four or "
        "five times a shift because the glue kept clogging the nozzles. I logged every stop for two weeks and "
        "found they all came after the line sat idle over a break. I changed the break rota so the line never "
        "stood still for more than ten minutes and added a nozzle flush to the start-up checklist. After a "
        "month the stops were down to one a week.",
        "I'm a maintenance planner at a bottling plant outside Porto",
        "Our labelling line was stopping four or five times a shift",
    ),
    (
        "Tell me about a time you improved something at work.",
        "so, um, in my hospital in Brno, i am nurse in the day surgery unit. the patients wait very long for "
        "discharge in the afternoon, sometimes three hours, because the letters are written only after the "
        "last operation. so i make a template with the surgeon and i fill it in during the recovery. now most "
        "patients go home one hour after they wake up.",
        "i am nurse in the day surgery unit",
        "the patients wait very long for discharge in the afternoon",
    ),
    (
        "Tell me about a time you handled a difficult customer.",
        "I was receptionist team leader in a hotel in Vienna. A guest shouted at the desk because his room was "
        "not ready at two o'clock and he had a meeting at three. I gave him a day room on the first floor to "
        "change, I asked housekeeping to do his room next, and I sent his luggage up myself. He had his room "
        "by half past two and later wrote a good review naming our desk.",
        "I was receptionist team leader in a hotel in Vienna",
        "A guest shouted at the desk because his room was not ready",
    ),
]


@pytest.mark.parametrize(("question", "answer", "job", "scene"), STORIES)
def test_the_situation_is_quoted_from_the_circumstance_not_the_job_title(question, answer, job, scene):
    situation = grade(question, answer).star["situation"]
    assert situation.score >= 0.5
    assert situation.evidence[0].startswith(scene)
    assert not any(job in quote for quote in situation.evidence)
    assert all(quote in answer for quote in situation.evidence)


@pytest.mark.parametrize(
    "clause",
    [
        "I'm an in-house recruiter for an engineering consultancy in Aberdeen.",
        "so, i'm a site manager, residential, twelve years now.",
        "in my factory in bursa, i am maintenance technician.",
        "I work in a car dealership in Valencia, in the service reception.",
        "my job is transport planner for a frozen food distributor outside lyon.",
    ],
)
def test_a_clause_that_only_names_the_job_is_read_as_a_role(clause):
    assert role_only(clause)


@pytest.mark.parametrize(
    "clause",
    [
        # More than a role: a scene, a task or a trait follows or stands in for it.
        "I'm a sous chef, and we had a wedding for two hundred and the main oven went down.",
        "I'm the duty manager so it's on me.",
        "I was the analyst asked to find out why.",
        "I'm known for being extremely organised.",
        "I was under pressure at work.",
        "I'm the nurse looking after him.",
        "In the factory where I was supervisor, the workers often don't wear the ear protection.",
    ],
)
def test_a_clause_with_more_than_a_role_is_not_read_as_one(clause):
    assert not role_only(clause)
