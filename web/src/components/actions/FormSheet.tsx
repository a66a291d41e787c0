import { Button, Drawer, Flex, Modal } from 'antd';
import type { ReactNode } from 'react';

interface Props {
  open: boolean;
  phone: boolean;
  title: string;
  okText: string;
  danger?: boolean;
  busy: boolean;
  onOk: () => void;
  onCancel: () => void;
  /** After the closing animation: the caller forgets the form then. */
  afterClose: () => void;
  children: ReactNode;
}

/**
 * Where an action form opens: a bottom sheet with big thumb-reachable buttons
 * on a phone, a modal on a desktop. A click on the mask never closes it, so a
 * half-filled signature form is not lost by a stray tap.
 */
export function FormSheet({ open, phone, title, okText, danger, busy, onOk, onCancel, afterClose, children }: Props) {
  if (phone) {
    return (
      <Drawer
        open={open}
        placement="bottom"
        size="auto"
        title={title}
        onClose={onCancel}
        afterOpenChange={(o) => !o && afterClose()}
        mask={{ closable: false }}
        styles={{ wrapper: { maxHeight: '92vh' } }}
        footer={
          <Flex gap={8}>
            <Button size="large" block onClick={onCancel} disabled={busy} autoInsertSpace={false}>
              取消
            </Button>
            <Button size="large" block type="primary" danger={danger} loading={busy} onClick={onOk} autoInsertSpace={false}>
              {okText}
            </Button>
          </Flex>
        }
      >
        {children}
      </Drawer>
    );
  }
  return (
    <Modal
      open={open}
      title={title}
      onCancel={onCancel}
      afterClose={afterClose}
      mask={{ closable: false }}
      okText={okText}
      cancelText="取消"
      okButtonProps={{ danger, loading: busy, autoInsertSpace: false }}
      cancelButtonProps={{ autoInsertSpace: false, disabled: busy }}
      onOk={onOk}
      width={560}
    >
      {children}
    </Modal>
  );
}
