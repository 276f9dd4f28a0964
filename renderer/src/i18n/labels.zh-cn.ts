import type { labelsEn } from './labels.en';

/** Chinese words of the labels pages and pickers (the same keys as `labels.en.ts`). */
export const labelsZhCN: typeof labelsEn = {
  page: {
    description: '用不同颜色的标签整理对话和消息。重命名或更换颜色不会影响已贴上的标签。',
    count: '没有标签 | 1 个标签 | {count} 个标签',
    manyWarning: '标签已超过 {max} 个，选择起来会比较困难，建议合并一部分。',
    loadFailed: '无法加载标签。',
    empty: '还没有标签，请在上方创建第一个。',
  },
  create: {
    heading: '新建标签',
    name: '名称',
    namePlaceholder: '例如：批发客户',
    colour: '颜色',
    submit: '创建标签',
  },
  fields: {
    required: '请输入名称。',
    tooLong: '最多 100 个字符。',
    taken: '该名称已被其他标签使用（不区分大小写）。',
    colour: '请从 20 种颜色中选择一种。',
  },
  row: {
    conversations: '没有对话 | 1 个对话 | {count} 个对话',
    messages: '没有消息 | 1 条消息 | {count} 条消息',
    rename: '重命名',
    renameLabel: '{name} 的新名称',
    save: '保存',
    cancel: '取消',
    recolour: '颜色',
    recolourLabel: '{name} 的颜色',
    up: '上移',
    down: '下移',
    upLabel: '将 {name} 上移',
    downLabel: '将 {name} 下移',
    delete: '删除',
    deleteLabel: '删除 {name}',
    showMessages: '消息',
    showMessagesLabel: '标有 {name} 的消息',
  },
  colours: {
    choose: '第 {number} 种颜色（共 20 种）',
  },
  delete: {
    title: '删除“{name}”？',
    none: '该标签没有用在任何对话或消息上。',
    count: '将从{conversations}和{messages}上移除该标签。',
    conversations: '0 个对话 | 1 个对话 | {count} 个对话',
    messages: '0 条消息 | 1 条消息 | {count} 条消息',
    confirm: '删除标签',
    cancel: '保留',
    changed: '在此期间该标签又被贴到了更多地方，请查看新的数量后再次确认。',
  },
  messages: {
    heading: '标有“{name}”的消息',
    close: '关闭',
    empty: '没有消息带有此标签。',
    more: '显示更早的消息',
    loadFailed: '无法加载消息。',
    open: '在聊天中打开',
    fromCustomer: '来自 {name}',
    toCustomer: '发给 {name}',
    noText: '没有文字的消息（{type}）',
    revoked: '此消息已被删除',
  },
  picker: {
    label: '标签',
    none: '还没有标签，请先在“标签”页面创建。',
  },
  menu: {
    labels: '标签…',
  },
  contact: {
    edit: '编辑标签',
    done: '完成',
  },
};
