"""Add the catalogue of legal provisions notices cite; issued notices keep their texts.

Until now the provisions were code (rules.notices.PROVISIONS) and a notice stored their keys.
The catalogue becomes a table administrators maintain (`flask catalogues load` fills it), and
each notice now stores the provisions as they read when it was issued: the keys of existing
notices are expanded here with the texts the code had (frozen below, whatever the catalogue
says later). Downgrade turns them back into keys.

Revision ID: 7badfdba5b10
Revises: 60dbd455c6bf
Create Date: 2026-12-01 20:23:06.374042

"""
from alembic import op
import sqlalchemy as sa

import portal.models.base  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = '7badfdba5b10'
down_revision = '60dbd455c6bf'
branch_labels = None
depends_on = None

# The texts of rules.notices.PROVISIONS at this revision: code -> (article zh, article en,
# penalty zh, penalty en).
TEXTS = {
    'DSR-39': ('《直销管理条例》第三十九条（未经批准或超出批准范围从事直销）',
                'Direct Selling Regulation, Article 39 (selling without approval or outside the approved scope)',
                '没收违法所得，处5万元以上30万元以下罚款（情节严重的，处30万元以上50万元以下罚款）',
                'fine of 50,000–300,000 (serious: 300,000–500,000) and confiscation'),
    'DSR-41': ('《直销管理条例》第四十一条（重大变更未经批准）',
                'Direct Selling Regulation, Article 41 (major change without approval)',
                '处3万元以上30万元以下罚款',
                'fine of 30,000–300,000'),
    'DSR-44': ('《直销管理条例》第四十四条（违规招募直销员）',
                'Direct Selling Regulation, Article 44 (recruiting breaches)',
                '处3万元以上10万元以下罚款（情节严重的，处10万元以上30万元以下罚款，并吊销直销经营许可证）',
                'fine of 30,000–100,000 (serious: 100,000–300,000 and revocation of the licence)'),
    'DSR-45': ('《直销管理条例》第四十五条（未取得直销员证从事直销）',
                'Direct Selling Regulation, Article 45 (selling without a seller certificate)',
                '处2万元以下罚款（情节严重的，处2万元以上20万元以下罚款）',
                'fine of up to 20,000 (serious: 20,000–200,000)'),
    'DSR-46': ('《直销管理条例》第四十六条（违规开展直销员业务培训）',
                'Direct Selling Regulation, Article 46 (training breaches)',
                '企业：处3万元以上10万元以下罚款（情节严重的，处10万元以上30万元以下罚款，可吊销直销经营许可证）；授课人员：处5万元以下罚款',
                'enterprise: fine of 30,000–100,000 (serious: 100,000–300,000 and revocation); lecturer: up to 50,000'),
    'DSR-47': ('《直销管理条例》第四十七条（直销员推销中的违规行为）',
                'Direct Selling Regulation, Article 47 (breaches at the point of sale)',
                '直销员：处5万元以下罚款；直销企业：处1万元以上10万元以下罚款',
                'seller: up to 50,000; enterprise: 10,000–100,000'),
    'DSR-49': ('《直销管理条例》第四十九条（报酬超过30%或违反退换货规定）',
                'Direct Selling Regulation, Article 49 (pay over 30 percent or return rules broken)',
                '处5万元以上30万元以下罚款（情节严重的，处30万元以上50万元以下罚款，并吊销直销经营许可证）',
                'fine of 50,000–300,000 (serious: 300,000–500,000 and revocation)'),
    'DSR-50': ('《直销管理条例》第五十条（未依规报告或披露信息）',
                'Direct Selling Regulation, Article 50 (failing to report or disclose)',
                '责令改正，处10万元以下罚款（情节严重的，处10万元以上30万元以下罚款）；拒不改正的，吊销直销经营许可证',
                'order to correct and fine of up to 100,000 (serious: 100,000–300,000); refusing to correct: revocation'),
    'DSR-51': ('《直销管理条例》第五十一条（未按规定缴纳或维持保证金）',
                'Direct Selling Regulation, Article 51 (deposit not kept)',
                '处10万元以下罚款；拒不改正的，处10万元以上30万元以下罚款，并吊销直销经营许可证',
                'fine of up to 100,000; refusing to correct: 100,000–300,000 and revocation'),
    'PPS-24': ('《禁止传销条例》第二十四条（组织策划、介绍诱骗、参加传销）',
                'Regulation on Prohibition of Pyramid Selling, Article 24 (pyramid selling)',
                '组织策划者：没收违法所得，处50万元以上200万元以下罚款；介绍、诱骗、胁迫他人参加者：处10万元以上50万元以下罚款；参加者：处2000元以下罚款',
                'organiser: 500,000–2,000,000 and confiscation; recruiter: 100,000–500,000; participant: up to 2,000'),
}
notice = sa.table('notice', sa.column('id', sa.Integer), sa.column('provisions', sa.JSON))


def _rewrite(change):
    bind = op.get_bind()
    for row in bind.execute(sa.select(notice.c.id, notice.c.provisions)).all():
        bind.execute(notice.update().where(notice.c.id == row.id)
                     .values(provisions=[change(p) for p in row.provisions]))


def _expand(code):
    if isinstance(code, dict):
        return code
    article_zh, article_en, penalty_zh, penalty_en = TEXTS.get(code, (code, code, '', ''))
    return {'code': code, 'article_zh': article_zh, 'article_en': article_en,
            'penalty_zh': penalty_zh, 'penalty_en': penalty_en}


def upgrade():
    op.create_table('legal_provision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('article_zh', sa.String(length=200), nullable=False),
    sa.Column('article_en', sa.String(length=300), nullable=False),
    sa.Column('penalty_zh', sa.String(length=400), nullable=False),
    sa.Column('penalty_en', sa.String(length=400), nullable=False),
    sa.Column('suggested_for', sa.JSON(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_legal_provision')),
    sa.UniqueConstraint('code', name=op.f('uq_legal_provision_code'))
    )
    _rewrite(_expand)


def downgrade():
    _rewrite(lambda p: p['code'] if isinstance(p, dict) else p)
    op.drop_table('legal_provision')
