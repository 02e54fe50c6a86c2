from tests.fakediscord.fixtures import fake_bot

__all__ = ["fake_bot"]
