// SPDX-License-Identifier: GPL-3.0-or-later
// "Join group chat": account, room address, nickname and password, with a browser of a conference service's
// public rooms; joins through the chosen account's MucService and stays open with the reason when it fails.
#include "JoinRoomDialog.h"

#include "common/JidValidator.h"
#include "muc/MucService.h"
#include "presenters/ErrorPresenter.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPointer>
#include <QPushButton>
#include <QUrl>
#include <QVBoxLayout>
#include <algorithm>

namespace Natter::Ui {

using Core::Error;
using Core::JidValidator;
using Core::MucService;
using Core::Result;

namespace {

// What the user typed or pasted, without an xmpp: scheme and its "?join" query.
QString enteredAddress(const QString &text)
{
    QString entered = text.trimmed();
    if (entered.startsWith(QStringLiteral("xmpp:"), Qt::CaseInsensitive))
        entered = QUrl::fromPercentEncoding(entered.mid(5).section(u'?', 0, 0).toUtf8());
    return entered;
}

QLabel *problemLabel(QWidget *parent, const QString &objectName)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    label->setStyleSheet(QStringLiteral("color: #c62828;"));
    label->hide();
    return label;
}

} // namespace

JoinRoomDialog::JoinRoomDialog(MucServiceProvider services, QWidget *parent)
    : QDialog(parent)
    , m_services(std::move(services))
    , m_form(new QFormLayout)
    , m_account(new QComboBox(this))
    , m_room(new QLineEdit(this))
    , m_roomProblem(problemLabel(this, QStringLiteral("roomAddressProblem")))
    , m_nick(new QLineEdit(this))
    , m_password(new QLineEdit(this))
    , m_conferenceService(new QLineEdit(this))
    , m_browse(new QPushButton(tr("&Browse"), this))
    , m_roomList(new QListWidget(this))
    , m_browseStatus(new QLabel(this))
    , m_error(problemLabel(this, QStringLiteral("joinError")))
{
    setObjectName(QStringLiteral("joinRoomDialog"));
    setWindowTitle(tr("Join group chat"));
    m_account->setObjectName(QStringLiteral("account"));
    m_room->setObjectName(QStringLiteral("roomAddress"));
    m_room->setPlaceholderText(tr("room@conference.example.org"));
    m_nick->setObjectName(QStringLiteral("nickname"));
    m_password->setObjectName(QStringLiteral("roomPassword"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setPlaceholderText(tr("Only if the group chat asks for one"));
    m_conferenceService->setObjectName(QStringLiteral("conferenceService"));
    m_conferenceService->setPlaceholderText(tr("conference.example.org"));
    m_browse->setObjectName(QStringLiteral("browseRooms"));
    m_browse->setAutoDefault(false);
    m_roomList->setObjectName(QStringLiteral("roomList"));
    m_browseStatus->setObjectName(QStringLiteral("browseStatus"));
    m_browseStatus->setTextFormat(Qt::PlainText);
    m_browseStatus->setWordWrap(true);
    m_browseStatus->hide();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_join = buttons->addButton(tr("&Join"), QDialogButtonBox::AcceptRole);
    m_join->setObjectName(QStringLiteral("joinButton"));
    m_join->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &JoinRoomDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &JoinRoomDialog::reject);

    m_form->addRow(tr("&Account:"), m_account);
    m_form->addRow(tr("Group chat &address:"), m_room);
    m_form->addRow(QString(), m_roomProblem);
    m_form->addRow(tr("&Nickname:"), m_nick);
    m_form->addRow(tr("&Password:"), m_password);

    auto *browseBox = new QGroupBox(tr("Browse rooms"), this);
    auto *serviceRow = new QHBoxLayout;
    serviceRow->addWidget(m_conferenceService, 1);
    serviceRow->addWidget(m_browse);
    auto *browseLayout = new QVBoxLayout(browseBox);
    browseLayout->addLayout(serviceRow);
    browseLayout->addWidget(m_roomList, 1);
    browseLayout->addWidget(m_browseStatus);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(m_form);
    layout->addWidget(browseBox, 1);
    layout->addWidget(m_error);
    layout->addWidget(buttons);

    m_inputs = {m_account, m_room, m_nick, m_password, m_conferenceService, m_browse, m_roomList};
    connect(m_room, &QLineEdit::textChanged, this, &JoinRoomDialog::updateJoinButton);
    connect(m_nick, &QLineEdit::textChanged, this, &JoinRoomDialog::updateJoinButton);
    connect(m_account, &QComboBox::currentTextChanged, this, [this] {
        ++m_browseGeneration; // a listing asked through the previous account no longer applies
        updateJoinButton();
    });
    connect(m_browse, &QPushButton::clicked, this, &JoinRoomDialog::browse);
    connect(m_roomList, &QListWidget::currentItemChanged, this, &JoinRoomDialog::chooseListedRoom);
    connect(m_roomList, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        chooseListedRoom(item);
        if (m_join->isEnabled())
            accept();
    });
    setAccounts({}, {});
    setMinimumWidth(460);
    resize(520, 560);
}

void JoinRoomDialog::setAccounts(const QStringList &jids, const QString &current)
{
    m_account->clear();
    m_account->addItems(jids);
    if (jids.contains(current))
        m_account->setCurrentText(current);
    m_form->setRowVisible(m_account, jids.size() > 1);
    updateJoinButton();
}

void JoinRoomDialog::setNick(const QString &nick)
{
    m_nick->setText(nick);
}

void JoinRoomDialog::setRoomJid(const QString &room)
{
    m_room->setText(room);
}

void JoinRoomDialog::setPassword(const QString &password)
{
    m_password->setText(password);
}

void JoinRoomDialog::setConferenceService(const QString &service)
{
    m_conferenceService->setText(service);
}

QString JoinRoomDialog::account() const
{
    return m_account->currentText();
}

QString JoinRoomDialog::roomJid() const
{
    const QString entered = enteredAddress(m_room->text());
    if (JidValidator::checkAccountJid(entered) != JidValidator::Problem::None)
        return {};
    return JidValidator::normalizedBareJid(entered);
}

QString JoinRoomDialog::nick() const
{
    return m_nick->text().trimmed();
}

QString JoinRoomDialog::password() const
{
    return m_password->text();
}

QString JoinRoomDialog::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

MucService *JoinRoomDialog::service() const
{
    return m_services && !account().isEmpty() ? m_services(account()) : nullptr;
}

void JoinRoomDialog::browse()
{
    const QString conferenceService = m_conferenceService->text().trimmed();
    m_roomList->clear();
    m_browseStatus->show();
    if (conferenceService.isEmpty()) {
        m_browseStatus->setText(
            tr("Enter the address of a group chat service, such as conference.example.org."));
        return;
    }
    MucService *rooms = service();
    if (!rooms) {
        showBrowseError(Error(Error::Code::NotConnected, account()));
        return;
    }
    const int generation = ++m_browseGeneration;
    m_browseStatus->setText(tr("Looking for group chats on %1…").arg(conferenceService));
    rooms->listRooms(conferenceService)
        .then(this, [this, generation](Result<QList<Core::RoomListing>> &&result) {
            if (generation != m_browseGeneration)
                return;
            if (const auto *listed = std::get_if<QList<Core::RoomListing>>(&result))
                showRooms(*listed);
            else
                showBrowseError(Core::errorOf(result));
        });
}

void JoinRoomDialog::showRooms(const QList<Core::RoomListing> &rooms)
{
    QList<Core::RoomListing> sorted = rooms;
    std::sort(sorted.begin(), sorted.end(), [](const Core::RoomListing &a, const Core::RoomListing &b) {
        const QString left = a.name.isEmpty() ? a.jid : a.name;
        const QString right = b.name.isEmpty() ? b.jid : b.name;
        return left.compare(right, Qt::CaseInsensitive) < 0;
    });
    m_roomList->clear();
    for (const Core::RoomListing &room : std::as_const(sorted)) {
        const QString name = room.name.trimmed();
        auto *item = new QListWidgetItem(name.isEmpty() ? room.jid : name + u'\n' + room.jid, m_roomList);
        item->setData(Qt::UserRole, room.jid);
        item->setToolTip(room.jid);
    }
    m_browseStatus->setText(rooms.isEmpty() ? tr("This service lists no public group chats.")
                                            : tr("%n group chat(s) listed.", nullptr, int(rooms.size())));
}

void JoinRoomDialog::showBrowseError(const Error &error)
{
    m_browseStatus->setText(
        tr("The group chats could not be listed. %1").arg(ErrorPresenter::describe(error)));
    m_browseStatus->show();
}

void JoinRoomDialog::chooseListedRoom(QListWidgetItem *item)
{
    if (item)
        m_room->setText(item->data(Qt::UserRole).toString());
}

void JoinRoomDialog::updateJoinButton()
{
    const QString entered = enteredAddress(m_room->text());
    auto problem = JidValidator::checkAccountJid(entered);
    if (entered.isEmpty() || problem == JidValidator::Problem::None) {
        m_roomProblem->hide();
    } else {
        m_roomProblem->setText(problem == JidValidator::Problem::UnexpectedResource
                                   ? tr("Enter the group chat’s address without a nickname (after “/”).")
                                   : ErrorPresenter::describeJidProblem(problem));
        m_roomProblem->show();
    }
    m_join->setEnabled(!m_joining && !roomJid().isEmpty() && !nick().isEmpty() && !account().isEmpty());
}

void JoinRoomDialog::setJoining(bool joining)
{
    m_joining = joining;
    for (QWidget *input : std::as_const(m_inputs))
        input->setEnabled(!joining);
    m_join->setText(joining ? tr("Joining…") : tr("&Join"));
    updateJoinButton();
}

void JoinRoomDialog::showError(const QString &text)
{
    m_error->setText(text);
    m_error->setVisible(!text.isEmpty());
}

void JoinRoomDialog::accept()
{
    const QString room = roomJid();
    if (m_joining || room.isEmpty() || nick().isEmpty())
        return;
    MucService *rooms = service();
    if (!rooms) {
        showError(ErrorPresenter::describe(Error(Error::Code::NotConnected, account())));
        return;
    }
    showError({});
    setJoining(true);
    const int generation = ++m_joinGeneration;
    // The continuation lives with the service: a join the user gave up on is left again once it succeeds.
    rooms->join(room, nick(), password())
        .then(rooms, [self = QPointer(this), rooms, generation, account = account(),
                      room](Result<MucService::JoinResult> &&result) {
            const bool wanted = self && self->m_joinGeneration == generation;
            if (!wanted) {
                if (Core::isOk(result))
                    rooms->leave(room);
                return;
            }
            if (const auto *joined = std::get_if<MucService::JoinResult>(&result))
                self->joinSucceeded(account, room, joined->created);
            else
                self->joinFailed(Core::errorOf(result));
        });
}

void JoinRoomDialog::reject()
{
    if (m_joining) {
        ++m_joinGeneration;
        setJoining(false);
    }
    QDialog::reject();
}

void JoinRoomDialog::joinSucceeded(const QString &account, const QString &room, bool created)
{
    setJoining(false);
    Q_EMIT joined(account, room, created);
    QDialog::accept();
}

void JoinRoomDialog::joinFailed(const Error &error)
{
    setJoining(false);
    showError(ErrorPresenter::describe(error));
    switch (error.code) {
    case Error::Code::NicknameInUse:
        m_nick->setFocus();
        m_nick->selectAll();
        break;
    case Error::Code::RoomPasswordWrong:
        m_password->setFocus();
        m_password->selectAll();
        break;
    default:
        m_room->setFocus();
        break;
    }
}

} // namespace Natter::Ui
