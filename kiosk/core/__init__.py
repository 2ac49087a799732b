"""Pure-Python core: content, flow engine, session, idle policy, i18n. Never imports Qt."""
