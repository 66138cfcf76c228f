"""The catalog's texts by area; each module holds ``MESSAGES: dict[key, (zh-CN, en)]``."""
