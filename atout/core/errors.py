class InputError(Exception):
    """Bad input from a person. ``code`` is stable; ``message`` is in their language;
    ``status`` is the HTTP status the API and pages answer with."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code, self.message, self.status = code, message, status
