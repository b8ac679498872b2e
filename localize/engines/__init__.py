"""Machine translation: the local Argos/CTranslate2 engine, the LibreTranslate client, and what
the model must not touch (``protect``)."""
