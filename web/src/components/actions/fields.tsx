import { CameraOutlined, PictureOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Flex, Image, Select, Upload, type UploadFile } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { api, ok } from '../../api/client';
import { EVIDENCE_MAX } from '../../lib/item-actions';

/**
 * 整改责任人 candidates for an item, searched on the server, which offers only
 * those it accepts: people of the item's township (or of the department it was
 * handed to), never the caller; `orgUnitId` (an escalation target) asks for
 * that unit's staff only.
 */
export function RectifierSelect({
  itemId,
  orgUnitId,
  value,
  onChange,
  placeholder,
  size,
  id,
}: {
  itemId: string;
  orgUnitId?: string;
  value?: string;
  onChange?: (v: string | undefined) => void;
  placeholder?: string;
  size?: 'large';
  id?: string;
}) {
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const t = setTimeout(() => setQ(search.trim()), 300);
    return () => clearTimeout(t);
  }, [search]);
  const { data = [], isFetching } = useQuery({
    queryKey: ['directory', 'rectifiers', itemId, orgUnitId ?? null, q],
    queryFn: () =>
      ok(api.GET('/api/directory/rectifiers', { params: { query: { itemId, ...(orgUnitId ? { toOrgUnitId: orgUnitId } : {}), ...(q ? { q } : {}) } } })),
    staleTime: 60_000,
    placeholderData: (prev) => prev,
  });
  const options = useMemo(
    () =>
      data
        .filter((u) => !orgUnitId || u.orgUnit.id === orgUnitId)
        .map((u) => ({ value: u.id, label: u.displayName.includes(u.orgUnit.name) ? u.displayName : `${u.displayName}（${u.orgUnit.name}）` })),
    [data, orgUnitId],
  );
  return (
    <Select
      id={id}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      allowClear
      value={value}
      onChange={(v) => onChange?.(v ?? undefined)}
      options={options}
      loading={isFetching}
      placeholder={placeholder}
      size={size}
      notFoundContent={isFetching ? '正在查找…' : '没有找到人员'}
    />
  );
}

/** ESCALATE targets: county departments and the county office. */
export function DepartmentSelect({
  value,
  onChange,
  placeholder,
  size,
  id,
}: {
  value?: string;
  onChange?: (v: string | undefined) => void;
  placeholder?: string;
  size?: 'large';
  id?: string;
}) {
  const { data = [], isLoading } = useQuery({
    queryKey: ['directory', 'departments'],
    queryFn: () => ok(api.GET('/api/directory/departments')),
    staleTime: 5 * 60_000,
  });
  return (
    <Select
      id={id}
      value={value}
      onChange={(v) => onChange?.(v)}
      loading={isLoading}
      placeholder={placeholder}
      size={size}
      options={data.map((d) => ({ value: d.id, label: d.kind === 'county' ? `县巩固办（${d.name}）` : d.name }))}
    />
  );
}

/**
 * Evidence photos kept on the device until the form is sent (the outbox
 * uploads them, also after being offline). On a phone "拍照" opens the
 * camera; "从相册选择" picks earlier photos.
 */
export function PhotoPicker({
  value = [],
  onChange,
  phone,
  id,
}: {
  value?: UploadFile[];
  onChange?: (files: UploadFile[]) => void;
  phone: boolean;
  id?: string;
}) {
  const [preview, setPreview] = useState<string | null>(null);
  const add = (file: File) => {
    const entry: UploadFile = { uid: `${Date.now()}-${Math.random()}`, name: file.name, status: 'done', originFileObj: file as UploadFile['originFileObj'] };
    onChange?.([...value, entry].slice(0, EVIDENCE_MAX));
    return false;
  };
  const full = value.length >= EVIDENCE_MAX;
  return (
    <div id={id}>
      <Upload
        listType="picture-card"
        accept="image/*"
        capture={phone ? 'environment' : undefined}
        multiple={!phone}
        fileList={value}
        beforeUpload={add}
        onRemove={(f) => onChange?.(value.filter((v) => v.uid !== f.uid))}
        onPreview={(f) => f.originFileObj && setPreview(URL.createObjectURL(f.originFileObj))}
      >
        {full ? null : (
          <Flex vertical align="center" gap={4}>
            <CameraOutlined style={{ fontSize: 22 }} />
            <span>{phone ? '拍照' : '添加照片'}</span>
          </Flex>
        )}
      </Upload>
      {phone && !full && (
        <Upload accept="image/*" multiple showUploadList={false} beforeUpload={add}>
          <Button icon={<PictureOutlined />} size="large">
            从相册选择
          </Button>
        </Upload>
      )}
      {preview && (
        <Image
          style={{ display: 'none' }}
          src={preview}
          preview={{
            open: true,
            src: preview,
            onOpenChange: (open) => {
              if (!open) {
                URL.revokeObjectURL(preview);
                setPreview(null);
              }
            },
          }}
        />
      )}
    </div>
  );
}
