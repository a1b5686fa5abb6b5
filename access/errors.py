"""The one exception type of the access package: its message is Chinese and safe to show."""


class AccessError(Exception):
    """A refused request (bad input, unknown user, weak password, missing key...).

    ``str(exc)`` is a Chinese sentence meant for the person at the screen or terminal; it never
    contains a password or data about households or petitioners.
    """
