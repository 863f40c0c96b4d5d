"""Texts of portal sign-in: the users file, passwords, the session secret and refused sign-ins."""

TEXTS: dict[str, dict[str, str]] = {
    # the users file; {reason} is one of the portal.users.* texts below
    "portal.users_bad": {"zh-CN": "用户文件无法使用：{reason}", "en": "the users file cannot be used: {reason}"},
    "portal.users.missing": {"zh-CN": "找不到该文件", "en": "the file does not exist"},
    "portal.users.unreadable": {"zh-CN": "无法读取（{detail}）", "en": "cannot read it ({detail})"},
    "portal.users.encoding": {"zh-CN": "不是 UTF-8 文本", "en": "it is not UTF-8 text"},
    "portal.users.yaml": {"zh-CN": "第 {line} 行 YAML 格式错误：{detail}", "en": "line {line} is not valid YAML: {detail}"},
    "portal.users.shape": {
        "zh-CN": "文件应以 users: 开头，下面是用户列表",
        "en": "it should start with users: followed by a list of users"},
    "portal.users.entry": {
        "zh-CN": "第 {line} 行：每个用户应写成含 name、role、password 的条目",
        "en": "line {line}: each user should be an entry with name, role and password"},
    "portal.users.name": {
        "zh-CN": "第 {line} 行：用户名“{name}”不可用（1–64 个字符的文本，首尾无空格；纯数字请加引号）",
        "en": "line {line}: “{name}” is not a usable user name (text of 1 to 64 characters, no spaces at "
              "either end; put numbers in quotes)"},
    "portal.users.role": {
        "zh-CN": "第 {line} 行：用户 {name} 的角色“{role}”未知（可选：{roles}）",
        "en": "line {line}: user {name} has an unknown role “{role}” (use one of {roles})"},
    "portal.users.duplicate": {
        "zh-CN": "第 {line} 行：用户 {name} 重复（第 {first} 行已有）",
        "en": "line {line}: user {name} appears twice (first at line {first})"},
    "portal.users.password_missing": {
        "zh-CN": "第 {line} 行：用户 {name} 没有密码",
        "en": "line {line}: user {name} has no password"},
    "portal.users.password_format": {
        "zh-CN": "第 {line} 行：用户 {name} 的密码不是 scrypt$… 格式的哈希（不接受明文密码）",
        "en": "line {line}: the password of user {name} is not a scrypt$… hash (plain passwords are not accepted)"},
    "portal.users.token": {
        "zh-CN": "第 {line} 行：用户 {name} 的 token 不是 sha256$<64 位十六进制> 格式",
        "en": "line {line}: the token of user {name} is not sha256$<64 hex digits>"},
    # adding a user
    "portal.role_unknown": {"zh-CN": "未知角色“{role}”（可选：{roles}）", "en": "unknown role “{role}” (use one of {roles})"},
    "portal.name_bad": {
        "zh-CN": "用户名“{name}”不可用（1–64 个字符，首尾无空格）",
        "en": "“{name}” is not a usable user name (1 to 64 characters, no spaces at either end)"},
    "portal.password_short": {"zh-CN": "密码至少需要 {min} 个字符", "en": "the password needs at least {min} characters"},
    # the session secret
    "portal.secret_unreadable": {
        "zh-CN": "无法读取或创建会话密钥文件（{reason}）",
        "en": "cannot read or create the session secret file ({reason})"},
    "portal.secret_short": {
        "zh-CN": "会话密钥文件为空或太短（至少 {min} 个字符）；删除它即可自动重建（所有人需重新登录）",
        "en": "the session secret file is empty or too short (at least {min} characters); delete it and a new "
              "one is made (everyone signs in again)"},
    # signing in
    "portal.signin_failed": {"zh-CN": "用户名或密码错误", "en": "wrong user name or password"},
    "portal.signin_locked": {
        "zh-CN": "登录失败次数过多，请 {minutes} 分钟后再试",
        "en": "too many failed sign-ins; try again in {minutes} minutes"},
}
