"""Page text (templates call ``t("web.…")``). Values of the registry (names, codes, 初中起点,
高级) are shown as they are in both languages."""

MESSAGES: dict[str, tuple[str, str]] = {
    # ---- layout -------------------------------------------------------------------------
    "web.site": ("职业院校专业登记", "Vocational Program Registry"),
    "web.skip_to_content": ("跳到正文", "Skip to content"),
    "web.nav.label": ("主导航", "Main navigation"),
    "web.nav.majors": ("专业", "Majors"),
    "web.nav.colleges": ("院校", "Colleges"),
    "web.nav.programs": ("专业设置", "Programs"),
    "web.nav.publications": ("名单", "Published lists"),
    "web.nav.statistics": ("统计", "Statistics"),
    "web.login": ("登录", "Sign in"),
    "web.logout": ("退出", "Sign out"),
    "web.language": ("语言", "Language"),
    "web.footer": (
        "数据来源：各级人力资源和社会保障局、教育局公布的专业目录和新增专业名单",
        "Data: the catalogs and approval lists published by the education and HR bureaus",
    ),
    "web.api_docs": ("接口文档（API）", "API documentation"),
    "web.back_home": ("返回首页", "Back to the home page"),
    "web.error.title": ("出错了", "Something went wrong"),
    "web.error.code": ("错误代码：", "Error code: "),
    # ---- home and search ------------------------------------------------------------
    "web.home.title": ("首页", "Home"),
    "web.home.heading": ("查询职业院校专业", "Find a vocational program"),
    "web.home.lead": (
        "查询专业目录、院校开设的专业和每年公布的新增专业名单。",
        "Search the catalogs, the programs colleges run and the yearly approval lists.",
    ),
    "web.home.sections": ("栏目", "Sections"),
    "web.home.colleges": (
        "技工院校和中职学校，开设的专业和历史",
        "Colleges, their programs and history",
    ),
    "web.home.programs": (
        "按条件筛选专业设置，下载 CSV/XLSX",
        "Filter programs; download CSV/XLSX",
    ),
    "web.home.publications": (
        "每年公布的新增专业名单和勘误",
        "Yearly approval lists and corrections",
    ),
    "web.home.statistics": (
        "按年份、类别、级别、层次、院校统计",
        "By year, category, level, intake, college",
    ),
    "web.search.label": ("搜索专业", "Search majors"),
    "web.search.placeholder": (
        "专业代码、名称、拼音或拼音首字母，如 0435、新能源、xnyqc",
        "code, name, pinyin or initials, e.g. 0435, 新能源, xnyqc",
    ),
    "web.search.button": ("搜索", "Search"),
}
