"""Pydantic's validation errors (the ``msg`` of a 422's ``detail`` items), keyed by
``validation.<pydantic error type>`` with the error's ``ctx`` as parameters. English keeps
pydantic's own wording; a type missing here falls back to ``validation.other``."""

MESSAGES: dict[str, tuple[str, str]] = {
    "validation.other": ("取值无效", "Invalid value"),
    "validation.text_rule": ("文本含不允许的字符：{error}", "Text rule: {error}"),
    "validation.missing": ("必填项，未填写", "Field required"),
    "validation.extra_forbidden": ("不允许的字段", "Extra inputs are not permitted"),
    "validation.string_type": ("应为文本", "Input should be a valid string"),
    "validation.string_too_short": (
        "至少需要 {min_length} 个字符",
        "String should have at least {min_length} characters",
    ),
    "validation.string_too_long": (
        "最多 {max_length} 个字符",
        "String should have at most {max_length} characters",
    ),
    "validation.string_pattern_mismatch": (
        "格式不符合要求（{pattern}）",
        "String should match pattern '{pattern}'",
    ),
    "validation.int_type": ("应为整数", "Input should be a valid integer"),
    "validation.int_parsing": ("应为整数", "Input should be a valid integer"),
    "validation.int_from_float": ("应为整数，不能有小数", "Input should be a valid integer"),
    "validation.float_type": ("应为数字", "Input should be a valid number"),
    "validation.float_parsing": ("应为数字", "Input should be a valid number"),
    "validation.bool_type": ("应为是/否（true/false）", "Input should be a valid boolean"),
    "validation.bool_parsing": ("应为是/否（true/false）", "Input should be a valid boolean"),
    "validation.greater_than": ("应大于 {gt}", "Input should be greater than {gt}"),
    "validation.greater_than_equal": (
        "应大于或等于 {ge}",
        "Input should be greater than or equal to {ge}",
    ),
    "validation.less_than": ("应小于 {lt}", "Input should be less than {lt}"),
    "validation.less_than_equal": (
        "应小于或等于 {le}",
        "Input should be less than or equal to {le}",
    ),
    "validation.literal_error": ("应为以下之一：{expected}", "Input should be {expected}"),
    "validation.enum": ("应为以下之一：{expected}", "Input should be {expected}"),
    "validation.list_type": ("应为列表", "Input should be a valid list"),
    "validation.dict_type": ("应为对象", "Input should be a valid dictionary"),
    "validation.model_type": ("应为对象", "Input should be an object"),
    "validation.model_attributes_type": ("应为对象", "Input should be an object"),
    "validation.too_short": (
        "至少需要 {min_length} 项",
        "List should have at least {min_length} items",
    ),
    "validation.too_long": ("最多 {max_length} 项", "List should have at most {max_length} items"),
    "validation.json_invalid": ("不是有效的 JSON：{error}", "Invalid JSON: {error}"),
    "validation.json_type": ("应为 JSON", "JSON input should be string, bytes or bytearray"),
    "validation.date_parsing": ("应为日期（YYYY-MM-DD）", "Input should be a valid date"),
    "validation.date_from_datetime_parsing": (
        "应为日期（YYYY-MM-DD）",
        "Input should be a valid date",
    ),
    "validation.datetime_parsing": (
        "应为日期时间（ISO 8601）",
        "Input should be a valid datetime",
    ),
    "validation.datetime_from_date_parsing": (
        "应为日期时间（ISO 8601）",
        "Input should be a valid datetime",
    ),
    "validation.url_parsing": ("应为有效的网址", "Input should be a valid URL"),
    "validation.url_scheme": (
        "网址协议应为 {expected_schemes}",
        "URL scheme should be {expected_schemes}",
    ),
    "validation.value_error": ("取值无效：{error}", "Value error, {error}"),
    "validation.assertion_error": ("取值无效：{error}", "Assertion failed, {error}"),
}
