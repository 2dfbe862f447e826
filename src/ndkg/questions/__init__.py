"""Named questions: ``queries/*.rq`` files with a grlc header, bound safely and run."""

from ndkg.questions.model import Parameter, Question
from ndkg.questions.parse import parse_question
from ndkg.questions.registry import Answer, Questions

__all__ = ["Answer", "Parameter", "Question", "Questions", "parse_question"]
