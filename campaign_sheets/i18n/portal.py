"""Texts of the portal's server and JSON API (pages: portal_pages; sign-in and users: portal_auth)."""

TEXTS: dict[str, dict[str, str]] = {
    "portal.internal": {"zh-CN": "服务器内部错误，已记录在服务器日志中", "en": "internal error; it is in the server's log"},
    "portal.needs_users": {
        "zh-CN": "监听 {host} 会让其他机器访问：请用 --users FILE 启用登录，或只监听 127.0.0.1",
        "en": "listening on {host} lets other machines in: require sign-in with --users FILE, or listen on 127.0.0.1 only"},
    "portal.local_only": {
        "zh-CN": "未启用登录（--users）：本机上的任何人都可以使用 http://{host}:{port}/",
        "en": "no sign-in (--users): anyone on this machine can use http://{host}:{port}/"},
    "portal.listening": {"zh-CN": "门户地址 http://{host}:{port}/（数据库 {db}，文件 {store}）",
                         "en": "portal at http://{host}:{port}/ (database {db}, files {store})"},
    "portal.signin_required": {"zh-CN": "请先登录", "en": "sign in first"},
    "portal.forbidden": {"zh-CN": "没有权限", "en": "not allowed for your role"},
    "portal.csrf": {"zh-CN": "表单已过期或来源不明，请刷新页面后重试",
                    "en": "the form has expired or did not come from this site; reload the page and try again"},
    "portal.upload_too_large": {"zh-CN": "文件 {name} 超过 {limit} 字节的上限", "en": "{name} is larger than the {limit}-byte limit"},
    "portal.upload_too_many_files": {"zh-CN": "一次最多上传 {max} 个文件", "en": "at most {max} files at once"},
    "portal.upload_bad_form": {"zh-CN": "上传格式不对：请用 multipart/form-data，字段名 file",
                               "en": "not a file upload: send multipart/form-data with the field file"},
    "portal.upload_no_file": {"zh-CN": "没有收到文件（字段名应为 file）", "en": "no file received (the field is file)"},
    "portal.not_found": {"zh-CN": "未找到", "en": "not found"},
    "portal.no_annotated": {"zh-CN": "无法读取的文件没有标注副本", "en": "a file that could not be read has no annotated copy"},
    "portal.user_added": {"zh-CN": "已将用户 {name}（{role}）写入 {path}", "en": "user {name} ({role}) written to {path}"},
    "portal.user_token": {"zh-CN": "API 令牌（只显示这一次，请妥善保存）：{token}",
                          "en": "API token (shown only this once; keep it safe): {token}"},
    "portal.spec_bad": {"zh-CN": "规格文件有问题，未保存", "en": "the spec file has problems; nothing was saved"},
    "portal.spec_shipped": {"zh-CN": "模板 {name} 是内置模板，不能在门户中替换；请换一个 template 名称",
                            "en": "{name} is a built-in template and cannot be replaced here; give the spec another template name"},
    "portal.extends_by_name": {"zh-CN": "extends 只能写模板名称（如 campaign），不能写路径：{value}",
                               "en": "extends must name a template (e.g. campaign), not a path: {value}"},
    "portal.rollup_loaded": {"zh-CN": "已写入数据库：{n} 个文件", "en": "loaded into the database: {n} files"},
}
