"""Checks of a translation: the glossary's terms (English finding, Arabic forms) and QA rules."""
